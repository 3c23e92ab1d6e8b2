using Firecrest.Core.Operations;

namespace Firecrest.Core.Client;

/// <summary>Options of <see cref="FirecrestClient"/>.</summary>
public sealed class FirecrestClientOptions
{
    /// <summary>HTTP client to use (its BaseAddress is ignored); one is created when null.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Retries of idempotent calls on 429/503 and connection failures.</summary>
    public int MaxRetries { get; set; } = 4;
}

/// <summary>Typed client of any FirecREST v2 server, behind the same <see cref="IHpcOperations"/> as the in-process engine.</summary>
public sealed class FirecrestClient : IHpcOperations, IDisposable
{
    /// <summary>Creates a client of the server at <paramref name="baseUrl"/> using tokens from <paramref name="tokens"/>.</summary>
    public FirecrestClient(Uri baseUrl, IAccessTokenProvider tokens, FirecrestClientOptions? options = null)
    {
        BaseUrl = baseUrl;
        Tokens = tokens;
        Options = options ?? new FirecrestClientOptions();
        throw new HpcException(HpcErrorKind.NotImplemented, "FirecrestClient is being written (skeleton of the contract only).");
    }

    /// <summary>Server URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Token source.</summary>
    public IAccessTokenProvider Tokens { get; }

    /// <summary>Options.</summary>
    public FirecrestClientOptions Options { get; }

    /// <inheritdoc/>
    public IStatusOperations Status => throw new InvalidOperationException();

    /// <inheritdoc/>
    public IComputeOperations Compute => throw new InvalidOperationException();

    /// <inheritdoc/>
    public IFilesystemOperations Files => throw new InvalidOperationException();

    /// <inheritdoc/>
    public ITransferOperations Transfers => throw new InvalidOperationException();

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
