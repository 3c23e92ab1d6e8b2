using Firecrest.Core.Idempotency;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Engine;

/// <summary>Job operations of the engine for one user: validation, idempotent submit, then the system's scheduler adapter.</summary>
internal sealed class EngineComputeOperations(FirecrestEngine engine, UserIdentity user) : IComputeOperations
{
    public Task<string> SubmitJobAsync(string system, JobDescription job, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var s = engine.GetSystem(system);
        if (string.IsNullOrWhiteSpace(job.WorkingDirectory))
            throw new HpcException(HpcErrorKind.InvalidArgument, "Field required: workingDirectory");
        if (string.IsNullOrEmpty(job.Script) == string.IsNullOrEmpty(job.ScriptPath))
            throw new HpcException(HpcErrorKind.InvalidArgument, "Exactly one of script and scriptPath is required");
        if (idempotencyKey is null) return s.Scheduler.SubmitJobAsync(user, job, cancellationToken);
        return engine.Submits.SubmitAsync(new IdempotencyKey(user.Username, s.Settings.Name, idempotencyKey), job,
            ct => s.Scheduler.SubmitJobAsync(user, job, ct), cancellationToken);
    }

    public Task<IReadOnlyList<Job>> GetJobsAsync(string system, JobQuery? query = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Scheduler.GetJobsAsync(user, query ?? new JobQuery(), cancellationToken);

    public async Task<IReadOnlyList<Job>> GetJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default)
    {
        var s = engine.GetSystem(system);
        var jobs = await s.Scheduler.GetJobAsync(user, jobId.Value, cancellationToken).ConfigureAwait(false);
        return jobs.Count > 0 ? jobs : throw new HpcException(HpcErrorKind.NotFound, "Job not found.");
    }

    public async Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(string system, JobId jobId, CancellationToken cancellationToken = default)
    {
        var s = engine.GetSystem(system);
        var meta = await s.Scheduler.GetJobMetadataAsync(user, jobId.Value, cancellationToken).ConfigureAwait(false);
        return meta.Count > 0 ? meta : throw new HpcException(HpcErrorKind.NotFound, "Job not found.");
    }

    public Task AttachAsync(string system, JobId jobId, string command, CancellationToken cancellationToken = default)
    {
        var s = engine.GetSystem(system);
        if (string.IsNullOrWhiteSpace(command)) throw new HpcException(HpcErrorKind.InvalidArgument, "Field required: command");
        return s.Scheduler.AttachAsync(user, jobId.Value, command, cancellationToken);
    }

    public Task CancelJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Scheduler.CancelJobAsync(user, jobId.Value, cancellationToken);
}
