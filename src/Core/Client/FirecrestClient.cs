using Firecrest.Core.Operations;

namespace Firecrest.Core.Client;

/// <summary>
/// Typed client of any FirecREST v2 server, behind the same <see cref="IHpcOperations"/> as the in-process engine.
/// Every call sends a bearer token from <see cref="Tokens"/> and a new <c>X-Request-ID</c> (kept on
/// <see cref="HpcException.RequestId"/> when the call fails). Idempotent calls (GET, chmod, chown, and job submits, which always
/// carry an <c>Idempotency-Key</c>) are retried on 408/429/503 and connection failures, honouring <c>Retry-After</c>, with jittered
/// exponential backoff, at most <see cref="FirecrestClientOptions.MaxRetries"/> times; other calls are never sent twice,
/// except once after a 401 with a renewed token. Error answers become <see cref="HpcException"/> with the server's message,
/// status, <c>causedBy</c> and <c>data</c>.
/// </summary>
public sealed class FirecrestClient : IHpcOperations, IDisposable
{
    private readonly FirecrestTransport _transport;

    /// <summary>Creates a client of the server at <paramref name="baseUrl"/> using tokens from <paramref name="tokens"/>.</summary>
    /// <param name="baseUrl">Server URL, with any path prefix (e.g. <c>https://api.example.org/firecrest/v2</c>).</param>
    /// <param name="tokens">Token source.</param>
    /// <param name="options">Options; defaults when null.</param>
    public FirecrestClient(Uri baseUrl, IAccessTokenProvider tokens, FirecrestClientOptions? options = null)
    {
        BaseUrl = baseUrl ?? throw new ArgumentNullException(nameof(baseUrl));
        Tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        Options = options ?? new FirecrestClientOptions();
        _transport = new FirecrestTransport(baseUrl, tokens, Options);
        Status = new ClientStatusOperations(_transport);
        Compute = new ClientComputeOperations(_transport);
        Files = new ClientFilesystemOperations(_transport);
        Transfers = new ClientTransferOperations(_transport);
    }

    public Uri BaseUrl { get; }

    public IAccessTokenProvider Tokens { get; }

    public FirecrestClientOptions Options { get; }

    /// <inheritdoc/>
    public IStatusOperations Status { get; }

    /// <inheritdoc/>
    public IComputeOperations Compute { get; }

    /// <inheritdoc/>
    public IFilesystemOperations Files { get; }

    /// <inheritdoc/>
    public ITransferOperations Transfers { get; }

    /// <summary>Disposes the HTTP client when the client created it (not one passed in the options).</summary>
    public void Dispose() => _transport.Dispose();
}
