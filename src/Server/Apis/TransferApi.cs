using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.Engine;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Server.Apis.Requests;
using Firecrest.Server.Auth;
using Firecrest.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Firecrest.Core.Json;

namespace Firecrest.Server.Apis;

/// <summary>Services of the transfer handlers.</summary>
/// <param name="Engine">The engine.</param>
/// <param name="Settings">Server configuration.</param>
/// <param name="Context">The request.</param>
public sealed record TransferServices([FromServices] IHpcEngine Engine, [FromServices] FirecrestSettings Settings, HttpContext Context)
{
    /// <summary>Transfer operations as the caller.</summary>
    public ITransferOperations Transfers => Engine.ForUser(RequestUser.Resolve(Context, Settings)).Transfers;

    /// <summary>Cancellation of the request.</summary>
    public CancellationToken Aborted => Context.RequestAborted;
}

/// <summary>The <c>/filesystem/{system_name}/transfer</c> routes: data movement as scheduler jobs.</summary>
public static class TransferApi
{
    private static readonly string[] TransferMethods = WireNames.Names(typeof(TransferMethod)).ToArray();

    /// <summary>Maps the transfer routes.</summary>
    public static IEndpointRouteBuilder MapTransferApi(this IEndpointRouteBuilder app)
    {
        var transfer = app.MapGroup("/filesystem/{system_name}/transfer").WithTags("filesystem")
            .RequireFirecrestUser().AddEndpointFilter<SystemGuardFilter>();
        var sshAndScheduler = new HealthGate(HealthServiceType.Ssh, HealthServiceType.Scheduler);
        var sshFileAndScheduler = new HealthGate(HealthServiceType.Ssh, HealthServiceType.Filesystem, HealthServiceType.Scheduler);
        transfer.MapPost("/upload", Upload).WithName("PostTransferUpload").WithSummary("Start an upload through the data transfer service.").WithMetadata(sshAndScheduler);
        transfer.MapPost("/download", Download).WithName("PostTransferDownload").WithSummary("Start a download through the data transfer service.").WithMetadata(sshAndScheduler);
        transfer.MapPost("/mv", Move).WithName("PostTransferMv").WithSummary("Move as a job.").WithMetadata(sshFileAndScheduler);
        transfer.MapPost("/cp", Copy).WithName("PostTransferCp").WithSummary("Copy as a job.").WithMetadata(sshFileAndScheduler);
        transfer.MapDelete("/rm", Remove).WithName("DeleteTransferRm").WithSummary("Remove as a job.").WithMetadata(sshFileAndScheduler);
        transfer.MapPost("/compress", Compress).WithName("PostTransferCompress").WithSummary("Compress as a job.").WithMetadata(sshFileAndScheduler);
        transfer.MapPost("/extract", Extract).WithName("PostTransferExtract").WithSummary("Extract as a job.").WithMetadata(sshFileAndScheduler);
        return app;
    }

    /// <summary>Starts an upload into the file <c>path</c>.</summary>
    public static async Task<Created<TransferFileResponse>> Upload([AsParameters] TransferServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] TransferFileRequest body)
    {
        var path = RemotePath.Parse(Require.Body(body).Path, "path", "body");
        var (method, directives) = CheckMethod(s.Settings, systemName, body.TransferDirectives);
        if (method == TransferMethod.Streamer)
            return TypedResults.Created((string?)null, TransferFileResponse.From(await s.Transfers.StartStreamerUploadAsync(systemName, path, body.Account, s.Aborted)));
        var size = directives.FileSize ?? throw new RequestValidationException("body", "transferDirectives.fileSize", "Field required");
        var answer = await s.Transfers.StartUploadAsync(systemName, path, size, body.Account, s.Aborted);
        return TypedResults.Created((string?)null, TransferFileResponse.From(answer));
    }

    /// <summary>Starts a download of the file <c>path</c>.</summary>
    public static async Task<Created<TransferFileResponse>> Download([AsParameters] TransferServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] TransferFileRequest body)
    {
        var path = RemotePath.Parse(Require.Body(body).Path, "path", "body");
        var (method, _) = CheckMethod(s.Settings, systemName, body.TransferDirectives);
        var answer = method == TransferMethod.Streamer
            ? await s.Transfers.StartStreamerDownloadAsync(systemName, path, body.Account, s.Aborted)
            : await s.Transfers.StartDownloadAsync(systemName, path, body.Account, s.Aborted);
        return TypedResults.Created((string?)null, TransferFileResponse.From(answer));
    }

    /// <summary>Moves as a job.</summary>
    public static async Task<Created<TransferJobResponse>> Move([AsParameters] TransferServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] MoveCopyRequest body)
    {
        var (source, target) = SourceAndTarget(Require.Body(body).SourcePath, body.TargetPath);
        return Created(await s.Transfers.MoveAsync(systemName, source, target, body.Account, s.Aborted));
    }

    /// <summary>Copies as a job.</summary>
    public static async Task<Created<TransferJobResponse>> Copy([AsParameters] TransferServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] MoveCopyRequest body)
    {
        var (source, target) = SourceAndTarget(Require.Body(body).SourcePath, body.TargetPath);
        return Created(await s.Transfers.CopyAsync(systemName, source, target, body.Dereference, body.Account, s.Aborted));
    }

    /// <summary>Removes as a job (200 with a body, not 204: upstream quirk).</summary>
    public static async Task<Ok<TransferJobResponse>> Remove([AsParameters] TransferServices s,
        [FromRoute(Name = "system_name")] string systemName, string path, string? account = null)
    {
        var job = await s.Transfers.RemoveAsync(systemName, RemotePath.Parse(path, "path", "query"), account, s.Aborted);
        return TypedResults.Ok(new TransferJobResponse(job));
    }

    /// <summary>Compresses as a job.</summary>
    public static async Task<Created<TransferJobResponse>> Compress([AsParameters] TransferServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] CompressBody body) =>
        Created(await s.Transfers.CompressAsync(systemName, ToCompressRequest(body), body.Account, s.Aborted));

    /// <summary>Extracts as a job.</summary>
    public static async Task<Created<TransferJobResponse>> Extract([AsParameters] TransferServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] ExtractBody body) =>
        Created(await s.Transfers.ExtractAsync(systemName, ToExtractRequest(body), body.Account, s.Aborted));

    /// <summary>The engine's compress request from a body.</summary>
    internal static CompressRequest ToCompressRequest(CompressBody body)
    {
        var (source, target) = SourceAndTarget(Require.Body(body).SourcePath, body.TargetPath);
        return new CompressRequest(source, target, body.MatchPattern, body.Dereference, body.Compression);
    }

    /// <summary>The engine's extract request from a body.</summary>
    internal static ExtractRequest ToExtractRequest(ExtractBody body)
    {
        var (source, target) = SourceAndTarget(Require.Body(body).SourcePath, body.TargetPath);
        return new ExtractRequest(source, target, body.Compression);
    }

    /// <summary>Both body paths parsed; every bad one is reported at once.</summary>
    private static (RemotePath Source, RemotePath Target) SourceAndTarget(string? source, string? target)
    {
        var fields = new List<FieldError>();
        if (!RemotePath.TryParse(source, out var s, out var sourceProblem)) fields.Add(new FieldError("body", "sourcePath", sourceProblem!));
        if (!RemotePath.TryParse(target, out var t, out var targetProblem)) fields.Add(new FieldError("body", "targetPath", targetProblem!));
        if (fields.Count > 0) throw new RequestValidationException(fields);
        return (s, t);
    }

    /// <summary>The method and directives, checked against the system's data transfer service (wormhole: 501 with the reason).</summary>
    private static (TransferMethod Method, TransferDirectivesBody Directives) CheckMethod(FirecrestSettings settings, string systemName, TransferDirectivesBody? directives)
    {
        if (directives is null) throw new RequestValidationException("body", "transferDirectives", "Field required");
        var text = Require.OneOf(directives.TransferMethod, TransferMethods, "body", "transferDirectives.transferMethod")
            ?? throw new RequestValidationException("body", "transferDirectives.transferMethod", "Field required");
        var configured = settings.FindCluster(systemName)?.DataOperation.DataTransfer?.ServiceType;
        if (!WireNames.TryParse<TransferMethod>(text, out var method) || configured != method)
            throw new HpcException(HpcErrorKind.InvalidArgument, "Requested transfer method is not available.");
        if (method == TransferMethod.Wormhole) throw new HpcException(HpcErrorKind.NotImplemented, TransferService.WormholeNotSupported);
        return (method, directives);
    }

    private static Created<TransferJobResponse> Created(TransferJob job) => TypedResults.Created((string?)null, new TransferJobResponse(job));
}
