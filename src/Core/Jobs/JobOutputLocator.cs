using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Jobs;

/// <summary>
/// Finds the file a job's standard output or error went to, while the scheduler still knows the job and after it has
/// forgotten it (the engine then rebuilds the path from accounting: working directory and the submitted pattern, or
/// the scheduler's default such as <c>slurm-%j.out</c>).
/// </summary>
public static class JobOutputLocator
{
    /// <summary>The stdout (or, with <paramref name="standardError"/>, stderr) file of <paramref name="jobId"/>; stderr falls back to stdout when not separate.</summary>
    /// <exception cref="HpcException">NotFound when the job is unknown or no file can be named.</exception>
    public static async Task<RemotePath> LocateAsync(IHpcOperations operations, string system, JobId jobId, bool standardError, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var all = await operations.Compute.GetJobMetadataAsync(system, jobId, cancellationToken).ConfigureAwait(false);
        var meta = all.FirstOrDefault(m => m.JobId == jobId.Value) ?? all.FirstOrDefault()
            ?? throw new HpcException(HpcErrorKind.NotFound, $"Job {jobId} not found.");
        var file = standardError ? (string.IsNullOrEmpty(meta.StandardError) ? meta.StandardOutput : meta.StandardError) : meta.StandardOutput;
        if (string.IsNullOrEmpty(file))
            throw new HpcException(HpcErrorKind.NotFound,
                $"The scheduler names no {(standardError ? "standard error" : "standard output")} file for job {jobId}; look in its working directory.");
        return RemotePath.Parse(file, standardError ? "standardError" : "standardOutput");
    }
}
