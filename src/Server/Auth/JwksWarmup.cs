namespace Firecrest.Server.Auth;

/// <summary>
/// Loads the signing keys once the server listens, so that the first authenticated request finds them instead of
/// fetching the JWKS itself. A failure is only logged (by <see cref="JwksKeyStore"/>): requests load the keys again.
/// </summary>
internal sealed class JwksWarmup(JwksKeyStore keys, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(LoadAsync));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LoadAsync()
    {
        try
        {
            await keys.EnsureFreshAsync(null, lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping before the keys came
        }
    }
}
