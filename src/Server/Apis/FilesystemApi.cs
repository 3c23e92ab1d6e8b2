using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Server.Apis.Requests;
using Firecrest.Server.Auth;
using Firecrest.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Firecrest.Server.Apis;

/// <summary>Services of the file-system handlers.</summary>
/// <param name="Engine">The engine.</param>
/// <param name="Settings">Server configuration.</param>
/// <param name="Context">The request.</param>
public sealed record FilesystemServices([FromServices] IHpcEngine Engine, [FromServices] FirecrestSettings Settings, HttpContext Context)
{
    /// <summary>File operations as the caller.</summary>
    public IFilesystemOperations Files => Engine.ForUser(RequestUser.Resolve(Context, Settings)).Files;

    /// <summary>Cancellation of the request.</summary>
    public CancellationToken Aborted => Context.RequestAborted;
}

/// <summary>The <c>/filesystem/{system_name}/ops</c> routes: synchronous file operations.</summary>
public static class FilesystemApi
{
    /// <summary>Maps the file-system routes.</summary>
    public static IEndpointRouteBuilder MapFilesystemApi(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/filesystem/{system_name}/ops").WithTags("filesystem")
            .RequireFirecrestUser().AddEndpointFilter<SystemGuardFilter>().WithMetadata(new HealthGate(HealthServiceType.Ssh, HealthServiceType.Filesystem));
        ops.MapGet("/ls", List).WithName("GetLs").WithSummary("List a directory.");
        ops.MapGet("/head", Head).WithName("GetHead").WithSummary("First bytes or lines of a file.");
        ops.MapGet("/tail", Tail).WithName("GetTail").WithSummary("Last bytes or lines of a file.");
        ops.MapGet("/view", View).WithName("GetView").WithSummary("A window of a file as text.");
        ops.MapGet("/checksum", Checksum).WithName("GetChecksum").WithSummary("SHA-256 of a file.");
        ops.MapGet("/file", FileType).WithName("GetFile").WithSummary("Type of a file (file -b).");
        ops.MapGet("/stat", Stat).WithName("GetStat").WithSummary("stat of a path.");
        ops.MapDelete("/rm", Remove).WithName("DeleteRm").WithSummary("Remove a file or directory.");
        ops.MapPost("/mkdir", MakeDirectory).WithName("PostMkdir").WithSummary("Create a directory.");
        ops.MapPost("/symlink", Symlink).WithName("PostSymlink").WithSummary("Create a symbolic link.");
        ops.MapPut("/chmod", Chmod).WithName("PutChmod").WithSummary("Change permissions.");
        ops.MapPut("/chown", Chown).WithName("PutChown").WithSummary("Change owner and group.");
        ops.MapGet("/download", Download).WithName("GetDownload").WithSummary("Download a small file.");
        ops.MapPost("/upload", Upload).WithName(Middleware.BodySizeLimitMiddleware.UploadEndpointName).WithSummary("Upload a small file into a directory (form field 'file').")
            .DisableAntiforgery();
        ops.MapPost("/compress", Compress).WithName("PostCompress").WithSummary("Create a tar archive.");
        ops.MapPost("/extract", Extract).WithName("PostExtract").WithSummary("Extract a tar archive.");
        return app;
    }

    /// <summary>Lists a directory.</summary>
    public static async Task<ListingJsonResult> List([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, string path,
        bool showHidden = false, bool numericUid = false, bool recursive = false, bool dereference = false) =>
        new(await s.Files.ListAsync(systemName, Query(path), new ListOptions(showHidden, numericUid, recursive, dereference), s.Aborted));

    /// <summary>First bytes or lines of a file.</summary>
    public static async Task<Ok<OutputResponse<FileContent>>> Head([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, string path, long? bytes = null, long? lines = null, bool skipTrailing = false) =>
        TypedResults.Ok(new OutputResponse<FileContent>(await s.Files.HeadAsync(systemName, Query(path), bytes, lines, skipTrailing, s.Aborted)));

    /// <summary>Last bytes or lines of a file.</summary>
    public static async Task<Ok<OutputResponse<FileContent>>> Tail([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, string path, long? bytes = null, long? lines = null, bool skipHeading = false) =>
        TypedResults.Ok(new OutputResponse<FileContent>(await s.Files.TailAsync(systemName, Query(path), bytes, lines, skipHeading, s.Aborted)));

    /// <summary>A window of a file as text.</summary>
    public static async Task<Ok<OutputResponse<string>>> View([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, string path, long? size = null, long? offset = null) =>
        TypedResults.Ok(new OutputResponse<string>(await s.Files.ViewAsync(systemName, Query(path), size, offset, s.Aborted)));

    /// <summary>SHA-256 of a file.</summary>
    public static async Task<Ok<OutputResponse<FileChecksum>>> Checksum([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, string path) =>
        TypedResults.Ok(new OutputResponse<FileChecksum>(await s.Files.ChecksumAsync(systemName, Query(path), s.Aborted)));

    /// <summary>Type of a file.</summary>
    public static async Task<Ok<OutputResponse<string>>> FileType([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, string path) =>
        TypedResults.Ok(new OutputResponse<string>(await s.Files.FileTypeAsync(systemName, Query(path), s.Aborted)));

    /// <summary>stat of a path.</summary>
    public static async Task<Ok<OutputResponse<FileStat>>> Stat([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, string path, bool dereference = false) =>
        TypedResults.Ok(new OutputResponse<FileStat>(await s.Files.StatAsync(systemName, Query(path), dereference, s.Aborted)));

    /// <summary>Removes a file or directory tree.</summary>
    public static async Task<NoContent> Remove([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, string path)
    {
        await s.Files.RemoveAsync(systemName, Query(path), s.Aborted);
        return TypedResults.NoContent();
    }

    /// <summary>Creates a directory.</summary>
    public static async Task<Created<OutputResponse<RemoteFile>>> MakeDirectory([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] MkdirRequest body)
    {
        var path = BodyPath(Require.Body(body).Path, "path");
        return Created(await s.Files.MakeDirectoryAsync(systemName, path, body.Parent, s.Aborted));
    }

    /// <summary>Creates a symbolic link.</summary>
    public static async Task<Created<OutputResponse<RemoteFile>>> Symlink([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] SymlinkRequest body)
    {
        var path = BodyPath(Require.Body(body).Path, "path");
        var link = BodyPath(body.LinkPath, "linkPath");
        return Created(await s.Files.SymlinkAsync(systemName, path, link, s.Aborted));
    }

    /// <summary>Changes permissions.</summary>
    public static async Task<Ok<OutputResponse<RemoteFile>>> Chmod([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] ChmodRequest body)
    {
        var path = BodyPath(Require.Body(body).Path, "path");
        var mode = Require.Present(body.Mode, "body", "mode");
        return TypedResults.Ok(new OutputResponse<RemoteFile>(await s.Files.ChmodAsync(systemName, path, mode, s.Aborted)));
    }

    /// <summary>Changes owner and group.</summary>
    public static async Task<Ok<OutputResponse<RemoteFile>>> Chown([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] ChownRequest body)
    {
        var path = BodyPath(Require.Body(body).Path, "path");
        return TypedResults.Ok(new OutputResponse<RemoteFile>(await s.Files.ChownAsync(systemName, path, body.Owner, body.Group, s.Aborted)));
    }

    /// <summary>Downloads a small file as raw bytes.</summary>
    public static async Task<FileContentHttpResult> Download([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, string path)
    {
        var bytes = await s.Files.DownloadAsync(systemName, Query(path), s.Aborted);
        return TypedResults.File(bytes, "application/octet-stream");
    }

    /// <summary>Uploads a small file into the directory <paramref name="path"/>.</summary>
    public static async Task<NoContent> Upload([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, string path, IFormFile? file)
    {
        var directory = Query(path);
        if (file is null) throw new RequestValidationException("body", "file", "Field required");
        var max = s.Settings.FindCluster(systemName)?.DataOperation.MaxOpsFileSize ?? long.MaxValue;
        if (file.Length > max) throw new HpcException(HpcErrorKind.TooLarge, "File to upload is too large.");
        var name = System.IO.Path.GetFileName(file.FileName);
        await using var content = file.OpenReadStream();
        await s.Files.UploadAsync(systemName, directory, name, content, s.Aborted);
        return TypedResults.NoContent();
    }

    /// <summary>Creates a tar archive.</summary>
    public static async Task<NoContent> Compress([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] CompressBody body)
    {
        await s.Files.CompressAsync(systemName, TransferApi.ToCompressRequest(body), s.Aborted);
        return TypedResults.NoContent();
    }

    /// <summary>Extracts a tar archive.</summary>
    public static async Task<NoContent> Extract([AsParameters] FilesystemServices s,
        [FromRoute(Name = "system_name")] string systemName, [FromBody] ExtractBody body)
    {
        await s.Files.ExtractAsync(systemName, TransferApi.ToExtractRequest(body), s.Aborted);
        return TypedResults.NoContent();
    }

    private static RemotePath Query(string? path) => RemotePath.Parse(path, "path", "query");

    private static RemotePath BodyPath(string? path, string field) => RemotePath.Parse(path, field, "body");

    private static Created<OutputResponse<RemoteFile>> Created(RemoteFile file) =>
        TypedResults.Created((string?)null, new OutputResponse<RemoteFile>(file));
}
