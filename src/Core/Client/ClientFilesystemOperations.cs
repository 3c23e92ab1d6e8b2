using System.Net.Http.Headers;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Client;

/// <summary>The <c>/filesystem/{system}/ops</c> routes over HTTP.</summary>
internal sealed class ClientFilesystemOperations(FirecrestTransport http) : IFilesystemOperations
{
    public async Task<IReadOnlyList<RemoteFile>> ListAsync(string system, RemotePath path, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ListOptions();
        return await Output<List<RemoteFile>>(Get(system, "ls", path,
            Q("showHidden", Routes.Bool(options.ShowHidden)), Q("numericUid", Routes.Bool(options.NumericUid)),
            Q("recursive", Routes.Bool(options.Recursive)), Q("dereference", Routes.Bool(options.Dereference))), cancellationToken).ConfigureAwait(false);
    }

    public Task<FileContent> HeadAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipTrailing = false, CancellationToken cancellationToken = default) =>
        Output<FileContent>(Get(system, "head", path, Q("bytes", Routes.Number(bytes)), Q("lines", Routes.Number(lines)), Q("skipTrailing", Routes.Bool(skipTrailing))), cancellationToken);

    public Task<FileContent> TailAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipHeading = false, CancellationToken cancellationToken = default) =>
        Output<FileContent>(Get(system, "tail", path, Q("bytes", Routes.Number(bytes)), Q("lines", Routes.Number(lines)), Q("skipHeading", Routes.Bool(skipHeading))), cancellationToken);

    public Task<string> ViewAsync(string system, RemotePath path, long? size = null, long? offset = null, CancellationToken cancellationToken = default) =>
        Output<string>(Get(system, "view", path, Q("size", Routes.Number(size)), Q("offset", Routes.Number(offset))), cancellationToken);

    public Task<FileChecksum> ChecksumAsync(string system, RemotePath path, CancellationToken cancellationToken = default) =>
        Output<FileChecksum>(Get(system, "checksum", path), cancellationToken);

    public Task<string> FileTypeAsync(string system, RemotePath path, CancellationToken cancellationToken = default) =>
        Output<string>(Get(system, "file", path), cancellationToken);

    public Task<FileStat> StatAsync(string system, RemotePath path, bool dereference = false, CancellationToken cancellationToken = default) =>
        Output<FileStat>(Get(system, "stat", path, Q("dereference", Routes.Bool(dereference))), cancellationToken);

    /// <summary>POST <c>mkdir</c> (201): not retried (a second try fails with "File exists").</summary>
    public Task<RemoteFile> MakeDirectoryAsync(string system, RemotePath path, bool parent = false, CancellationToken cancellationToken = default) =>
        Output<RemoteFile>(Send(HttpMethod.Post, system, "mkdir", new RequestBodies.Mkdir(path, parent), retryable: false), cancellationToken);

    public Task<RemoteFile> SymlinkAsync(string system, RemotePath path, RemotePath linkPath, CancellationToken cancellationToken = default) =>
        Output<RemoteFile>(Send(HttpMethod.Post, system, "symlink", new RequestBodies.Symlink(path, linkPath), retryable: false), cancellationToken);

    /// <summary>PUT <c>chmod</c>: setting a mode twice gives the same result, so it is retried.</summary>
    public Task<RemoteFile> ChmodAsync(string system, RemotePath path, string mode, CancellationToken cancellationToken = default) =>
        Output<RemoteFile>(Send(HttpMethod.Put, system, "chmod", new RequestBodies.Chmod(path, mode), retryable: true), cancellationToken);

    /// <summary>PUT <c>chown</c>; a null owner or group is sent as empty (left unchanged). Retried like chmod.</summary>
    public Task<RemoteFile> ChownAsync(string system, RemotePath path, string? owner, string? group, CancellationToken cancellationToken = default) =>
        Output<RemoteFile>(Send(HttpMethod.Put, system, "chown", new RequestBodies.Chown(path, owner ?? "", group ?? ""), retryable: true), cancellationToken);

    /// <summary>DELETE <c>rm</c> (204): not retried.</summary>
    public Task RemoveAsync(string system, RemotePath path, CancellationToken cancellationToken = default) =>
        http.SendForNothingAsync(new ApiCall(HttpMethod.Delete, Ops(system, "rm"), [Q("path", path.Value)]), cancellationToken);

    /// <summary>GET <c>download</c>: the raw bytes.</summary>
    public Task<byte[]> DownloadAsync(string system, RemotePath path, CancellationToken cancellationToken = default) =>
        http.SendForBytesAsync(Get(system, "download", path), cancellationToken);

    /// <summary>POST <c>upload?path=&lt;directory&gt;</c> with multipart form field <c>file</c> named <paramref name="fileName"/> (204).</summary>
    public async Task UploadAsync(string system, RemotePath directory, string fileName, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (string.IsNullOrEmpty(fileName)) throw new HpcException(HpcErrorKind.InvalidArgument, "The file name of an upload must not be empty.");
        // Small files only (max_ops_file_size): buffered, so the request can be sent again after a 401.
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        HttpContent Form()
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            // Written by hand: .NET's header types refuse a '"' in a file name. filename= carries the name as an escaped
            // quoted-string, filename*= the exact UTF-8 name (RFC 5987), which ASP.NET and Starlette prefer.
            var quoted = fileName.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", "").Replace("\n", "");
            part.Headers.TryAddWithoutValidation("Content-Disposition",
                $"form-data; name=\"file\"; filename=\"{quoted}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}");
            var form = new MultipartFormDataContent();
            form.Add(part);
            return form;
        }
        await http.SendForNothingAsync(new ApiCall(HttpMethod.Post, Ops(system, "upload"), [Q("path", directory.Value)], Form), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POST <c>compress</c> (204).</summary>
    public Task CompressAsync(string system, CompressRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return http.SendForNothingAsync(Send(HttpMethod.Post, system, "compress", RequestBodies.Compress.Of(request, null), retryable: false), cancellationToken);
    }

    /// <summary>POST <c>extract</c> (204).</summary>
    public Task ExtractAsync(string system, ExtractRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return http.SendForNothingAsync(Send(HttpMethod.Post, system, "extract", RequestBodies.Extract.Of(request, null), retryable: false), cancellationToken);
    }

    private async Task<T> Output<T>(ApiCall call, CancellationToken cancellationToken) =>
        (await http.SendForJsonAsync<WireEnvelopes.OutputOf<T>>(call, cancellationToken).ConfigureAwait(false)).Output;

    private static KeyValuePair<string, string?> Q(string name, string? value) => new(name, value);

    private static string Ops(string system, string op) => $"/filesystem/{Routes.Segment(system)}/ops/{op}";

    private static ApiCall Get(string system, string op, RemotePath path, params KeyValuePair<string, string?>[] more) =>
        new(HttpMethod.Get, Ops(system, op), [Q("path", path.Value), .. more], Retryable: true);

    private static ApiCall Send(HttpMethod method, string system, string op, object body, bool retryable) =>
        new(method, Ops(system, op), Content: FirecrestTransport.Json(body), Retryable: retryable);
}
