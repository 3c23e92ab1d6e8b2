using System.Text.Json;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Client;

/// <summary>The <c>/compute/{system}/jobs</c> routes over HTTP.</summary>
internal sealed class ClientComputeOperations(FirecrestTransport http) : IComputeOperations
{
    /// <summary>The header the server uses to submit a job only once.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// POST <c>/compute/{s}/jobs</c> with <c>{"job": …}</c>. Every submit carries an <c>Idempotency-Key</c> (the given one, or
    /// a new one for this call), so a retry after a lost answer returns the first job instead of submitting twice.
    /// </summary>
    public async Task<string> SubmitJobAsync(string system, JobDescription job, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var key = string.IsNullOrEmpty(idempotencyKey) ? Guid.NewGuid().ToString("N") : idempotencyKey;
        var call = new ApiCall(HttpMethod.Post, Jobs(system), Content: FirecrestTransport.Json(new RequestBodies.Submit(job)), Retryable: true,
            Headers: [new(IdempotencyKeyHeader, key)]);
        var answer = await http.SendForJsonAsync<WireEnvelopes.Submitted>(call, cancellationToken).ConfigureAwait(false);
        var id = answer.JobId.ValueKind switch
        {
            JsonValueKind.String => answer.JobId.GetString(),
            JsonValueKind.Number => answer.JobId.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(id) ? throw new HpcException(HpcErrorKind.Internal, "The server accepted the job but answered without a jobId.") : id;
    }

    public async Task<IReadOnlyList<Job>> GetJobsAsync(string system, JobQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new JobQuery();
        var call = new ApiCall(HttpMethod.Get, Jobs(system),
            [new("allusers", Routes.Bool(query.AllUsers)), new("account", query.Account), new("name", query.Name), new("time_window", query.TimeWindow)],
            Retryable: true);
        return (await http.SendForJsonAsync<WireEnvelopes.JobsAnswer>(call, cancellationToken).ConfigureAwait(false)).Jobs ?? [];
    }

    public async Task<IReadOnlyList<Job>> GetJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default) =>
        (await http.SendForJsonAsync<WireEnvelopes.JobsAnswer>(new ApiCall(HttpMethod.Get, Job(system, jobId), Retryable: true), cancellationToken)
            .ConfigureAwait(false)).Jobs ?? [];

    public async Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(string system, JobId jobId, CancellationToken cancellationToken = default) =>
        (await http.SendForJsonAsync<WireEnvelopes.JobMetadatas>(new ApiCall(HttpMethod.Get, Job(system, jobId) + "/metadata", Retryable: true), cancellationToken)
            .ConfigureAwait(false)).Jobs ?? [];

    /// <summary>PUT <c>/{job_id}/attach</c>: runs a command, so it is not retried.</summary>
    public Task AttachAsync(string system, JobId jobId, string command, CancellationToken cancellationToken = default) =>
        http.SendForNothingAsync(new ApiCall(HttpMethod.Put, Job(system, jobId) + "/attach", Content: FirecrestTransport.Json(new RequestBodies.Attach(command))), cancellationToken);

    /// <summary>DELETE <c>/{job_id}</c>: not retried (a second cancel of a finished job is an error upstream).</summary>
    public Task CancelJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default) =>
        http.SendForNothingAsync(new ApiCall(HttpMethod.Delete, Job(system, jobId)), cancellationToken);

    private static string Jobs(string system) => $"/compute/{Routes.Segment(system)}/jobs";

    private static string Job(string system, JobId jobId) => $"{Jobs(system)}/{Routes.Segment(jobId.Value, "job id")}";
}
