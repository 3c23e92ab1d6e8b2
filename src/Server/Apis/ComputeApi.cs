using System.Text.Json;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Idempotency;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Server.Apis.Requests;
using Firecrest.Server.Auth;
using Firecrest.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Firecrest.Server.Apis;

/// <summary>Services of the compute handlers.</summary>
/// <param name="Engine">The engine.</param>
/// <param name="Settings">Server configuration.</param>
/// <param name="Context">The request.</param>
public sealed record ComputeServices([FromServices] IHpcEngine Engine, [FromServices] FirecrestSettings Settings, HttpContext Context)
{
    /// <summary>The caller.</summary>
    public UserIdentity User => RequestUser.Resolve(Context, Settings);

    /// <summary>Job operations as the caller.</summary>
    public IComputeOperations Compute => Engine.ForUser(User).Compute;
}

/// <summary>The <c>/compute/{system_name}/jobs</c> routes.</summary>
public static class ComputeApi
{
    /// <summary>Accepted <c>time_window</c> values.</summary>
    public static readonly string[] TimeWindows = ["1h", "8h", "24h", "3d", "7d"];

    /// <summary>Maps the compute routes.</summary>
    public static IEndpointRouteBuilder MapComputeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/compute/{system_name}/jobs").WithTags("compute")
            .RequireFirecrestUser().AddEndpointFilter<SystemGuardFilter>()
            .WithMetadata(new HealthGate(HealthServiceType.Ssh, HealthServiceType.Scheduler) { SshOnlyWhenSchedulerUsesSsh = true });
        group.MapPost("", SubmitJob).WithName("PostJobSubmit").WithSummary("Submit a job (optional Idempotency-Key header).");
        group.MapGet("", GetJobs).WithName("GetJobs").WithSummary("List jobs.");
        group.MapGet("/{job_id}", GetJob).WithName("GetJob").WithSummary("Describe a job.");
        group.MapGet("/{job_id}/metadata", GetJobMetadata).WithName("GetJobMetadata").WithSummary("Script and standard stream paths of a job.");
        group.MapPut("/{job_id}/attach", AttachToJob).WithName("PutJobAttach").WithSummary("Run a command inside a running job.");
        group.MapDelete("/{job_id}", CancelJob).WithName("DeleteJobCancel").WithSummary("Cancel a job.");
        return app;
    }

    /// <summary>Submits a job; with <c>Idempotency-Key</c> a repeated request returns the first job id, another request 422.</summary>
    public static async Task<Created<SubmitJobResponse>> SubmitJob(
        [AsParameters] ComputeServices services,
        [FromRoute(Name = "system_name")] string systemName,
        [FromBody] SubmitJobRequest body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        var job = ToJobDescription(Require.Body(body).Job ?? throw new RequestValidationException("body", "job", "Field required"));
        Require.MaxLength(idempotencyKey, IdempotencyKey.MaxLength, "header", "Idempotency-Key");
        var jobId = await services.Compute.SubmitJobAsync(systemName, job, string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey,
            services.Context.RequestAborted);
        if (string.IsNullOrEmpty(jobId)) throw new HpcException(HpcErrorKind.Internal, "Unable to submit new job");
        return TypedResults.Created((string?)null, new SubmitJobResponse(jobId));
    }

    /// <summary>Lists jobs.</summary>
    public static async Task<Ok<JobsResponse>> GetJobs(
        [AsParameters] ComputeServices services,
        [FromRoute(Name = "system_name")] string systemName,
        bool allusers = false,
        string? account = null,
        string? name = null,
        string? time_window = null)
    {
        Require.MaxLength(name, 235, "query", "name");
        Require.OneOf(time_window, TimeWindows, "query", "time_window");
        var jobs = await services.Compute.GetJobsAsync(systemName, new JobQuery(allusers, account, name, time_window), services.Context.RequestAborted);
        return TypedResults.Ok(new JobsResponse(jobs));
    }

    /// <summary>Describes one job.</summary>
    public static async Task<Ok<JobsResponse>> GetJob(
        [AsParameters] ComputeServices services, [FromRoute(Name = "system_name")] string systemName, [FromRoute(Name = "job_id")] string jobId)
    {
        var jobs = await services.Compute.GetJobAsync(systemName, Require.JobId(jobId), services.Context.RequestAborted);
        return TypedResults.Ok(new JobsResponse(jobs));
    }

    /// <summary>Script and standard stream paths of a job.</summary>
    public static async Task<Ok<JobMetadataResponse>> GetJobMetadata(
        [AsParameters] ComputeServices services, [FromRoute(Name = "system_name")] string systemName, [FromRoute(Name = "job_id")] string jobId)
    {
        var metadata = await services.Compute.GetJobMetadataAsync(systemName, Require.JobId(jobId), services.Context.RequestAborted);
        return TypedResults.Ok(new JobMetadataResponse(metadata));
    }

    /// <summary>Runs a command inside a running job's allocation.</summary>
    public static async Task<NoContent> AttachToJob(
        [AsParameters] ComputeServices services, [FromRoute(Name = "system_name")] string systemName, [FromRoute(Name = "job_id")] string jobId,
        [FromBody] AttachRequest body)
    {
        var id = Require.JobId(jobId);
        var command = Require.Present(Require.Body(body).Command, "body", "command");
        await services.Compute.AttachAsync(systemName, id, command, services.Context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>Cancels a job.</summary>
    public static async Task<NoContent> CancelJob(
        [AsParameters] ComputeServices services, [FromRoute(Name = "system_name")] string systemName, [FromRoute(Name = "job_id")] string jobId)
    {
        await services.Compute.CancelJobAsync(systemName, Require.JobId(jobId), services.Context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>The engine's job description from the request body.</summary>
    internal static JobDescription ToJobDescription(JobDescriptionBody body) => new()
    {
        Name = body.Name,
        Account = body.Account,
        Reservation = body.Reservation,
        Partition = body.Partition,
        Constraints = body.Constraints,
        WorkingDirectory = Require.Present(body.WorkingDirectory, "body", "job.workingDirectory"),
        StandardInput = body.StandardInput,
        StandardOutput = body.StandardOutput,
        StandardError = body.StandardError,
        Env = ToEnvironment(body.Env),
        Script = body.Script,
        ScriptPath = body.ScriptPath,
        Dependency = body.Dependency,
    };

    private static Dictionary<string, string>? ToEnvironment(JsonElement? env)
    {
        if (env is not { } e || e.ValueKind == JsonValueKind.Null) return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
                result[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw BadEnv();
            return result;
        }
        if (e.ValueKind != JsonValueKind.Array) throw BadEnv();
        foreach (var item in e.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw BadEnv();
            var i = text.IndexOf('=');
            if (i <= 0) throw BadEnv();
            result[text[..i]] = text[(i + 1)..];
        }
        return result;
    }

    private static RequestValidationException BadEnv() =>
        new("body", "job.env", "Input should be an object of strings or a list of NAME=value strings");
}
