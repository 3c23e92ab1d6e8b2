using System.Text.RegularExpressions;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Engine;

/// <summary>Job operations of the engine for one user: validation, then the system's scheduler adapter.</summary>
internal sealed partial class EngineComputeOperations(FirecrestEngine engine, UserIdentity user) : IComputeOperations
{
    public Task<string> SubmitJobAsync(string system, JobDescription job, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var s = engine.GetSystem(system);
        if (string.IsNullOrWhiteSpace(job.WorkingDirectory))
            throw new HpcException(HpcErrorKind.InvalidArgument, "Field required: workingDirectory");
        if (string.IsNullOrEmpty(job.Script) == string.IsNullOrEmpty(job.ScriptPath))
            throw new HpcException(HpcErrorKind.InvalidArgument, "Exactly one of script and scriptPath is required");
        return s.Scheduler.SubmitJobAsync(user, job, cancellationToken);
    }

    public Task<IReadOnlyList<Job>> GetJobsAsync(string system, JobQuery? query = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Scheduler.GetJobsAsync(user, query ?? new JobQuery(), cancellationToken);

    public async Task<IReadOnlyList<Job>> GetJobAsync(string system, string jobId, CancellationToken cancellationToken = default)
    {
        var s = engine.GetSystem(system);
        var jobs = await s.Scheduler.GetJobAsync(user, ValidJobId(jobId), cancellationToken).ConfigureAwait(false);
        return jobs.Count > 0 ? jobs : throw new HpcException(HpcErrorKind.NotFound, "Job not found.");
    }

    public async Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(string system, string jobId, CancellationToken cancellationToken = default)
    {
        var s = engine.GetSystem(system);
        var meta = await s.Scheduler.GetJobMetadataAsync(user, ValidJobId(jobId), cancellationToken).ConfigureAwait(false);
        return meta.Count > 0 ? meta : throw new HpcException(HpcErrorKind.NotFound, "Job not found.");
    }

    public Task AttachAsync(string system, string jobId, string command, CancellationToken cancellationToken = default)
    {
        var s = engine.GetSystem(system);
        if (string.IsNullOrWhiteSpace(command)) throw new HpcException(HpcErrorKind.InvalidArgument, "Field required: command");
        return s.Scheduler.AttachAsync(user, ValidJobId(jobId), command, cancellationToken);
    }

    public Task CancelJobAsync(string system, string jobId, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Scheduler.CancelJobAsync(user, ValidJobId(jobId), cancellationToken);

    /// <summary>Job ids as upstream accepts them: letters and digits only (no shell metacharacters can pass).</summary>
    internal static string ValidJobId(string jobId) =>
        jobId is not null && JobIdPattern().IsMatch(jobId)
            ? jobId
            : throw new HpcException(HpcErrorKind.InvalidArgument, $"Invalid job id '{jobId}': only letters and digits are allowed");

    [GeneratedRegex("^[a-zA-Z0-9]{1,64}\\z")]
    private static partial Regex JobIdPattern();
}
