using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Client;

/// <summary>The <c>/filesystem/{system}/transfer</c> routes over HTTP. Each starts a scheduler job, so none is retried.</summary>
internal sealed class ClientTransferOperations(FirecrestTransport http) : ITransferOperations
{
    /// <summary>POST <c>transfer/upload</c> <c>{path, account?, transferDirectives:{transferMethod, fileSize}}</c> with the S3 method (201).</summary>
    public Task<TransferResponse> StartUploadAsync(string system, RemotePath path, long fileSize, string? account = null, CancellationToken cancellationToken = default) =>
        StartAsync(system, "upload", new RequestBodies.TransferStart(path, account, new(TransferMethod.S3, fileSize)), cancellationToken);

    /// <summary>POST <c>transfer/download</c> <c>{path, account?, transferDirectives:{transferMethod}}</c> with the S3 method (201).</summary>
    public Task<TransferResponse> StartDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) =>
        StartAsync(system, "download", new RequestBodies.TransferStart(path, account, new(TransferMethod.S3)), cancellationToken);

    /// <summary>POST <c>transfer/upload</c> <c>{path, account?, transferDirectives:{transferMethod:"streamer"}}</c> (201 with coordinates).</summary>
    public Task<TransferResponse> StartStreamerUploadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) =>
        StartAsync(system, "upload", new RequestBodies.TransferStart(path, account, new(TransferMethod.Streamer)), cancellationToken);

    /// <summary>POST <c>transfer/download</c> <c>{path, account?, transferDirectives:{transferMethod:"streamer"}}</c> (201 with coordinates).</summary>
    public Task<TransferResponse> StartStreamerDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) =>
        StartAsync(system, "download", new RequestBodies.TransferStart(path, account, new(TransferMethod.Streamer)), cancellationToken);

    public Task<TransferJob> MoveAsync(string system, RemotePath sourcePath, RemotePath targetPath, string? account = null, CancellationToken cancellationToken = default) =>
        JobAsync(Post(system, "mv", new RequestBodies.Move(sourcePath, targetPath, account)), cancellationToken);

    public Task<TransferJob> CopyAsync(string system, RemotePath sourcePath, RemotePath targetPath, bool dereference = false, string? account = null, CancellationToken cancellationToken = default) =>
        JobAsync(Post(system, "cp", new RequestBodies.Copy(sourcePath, targetPath, dereference, account)), cancellationToken);

    /// <summary>DELETE <c>transfer/rm?path&amp;account</c> (200 with a body, unlike <c>ops/rm</c>).</summary>
    public Task<TransferJob> RemoveAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) =>
        JobAsync(new ApiCall(HttpMethod.Delete, Transfer(system, "rm"), [new("path", path.Value), new("account", account)]), cancellationToken);

    public Task<TransferJob> CompressAsync(string system, CompressRequest request, string? account = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JobAsync(Post(system, "compress", RequestBodies.Compress.Of(request, account)), cancellationToken);
    }

    public Task<TransferJob> ExtractAsync(string system, ExtractRequest request, string? account = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JobAsync(Post(system, "extract", RequestBodies.Extract.Of(request, account)), cancellationToken);
    }

    private async Task<TransferResponse> StartAsync(string system, string op, object body, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(Post(system, op, body), cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return TransferResponseReader.Read(json);
    }

    private async Task<TransferJob> JobAsync(ApiCall call, CancellationToken cancellationToken) =>
        (await http.SendForJsonAsync<WireEnvelopes.TransferJobAnswer>(call, cancellationToken).ConfigureAwait(false)).TransferJob
        ?? throw new HpcException(HpcErrorKind.Internal, $"{call.Method} {call.Path} answered without a transferJob.");

    private static string Transfer(string system, string op) => $"/filesystem/{Routes.Segment(system)}/transfer/{op}";

    private static ApiCall Post(string system, string op, object body) =>
        new(HttpMethod.Post, Transfer(system, op), Content: FirecrestTransport.Json(body));
}
