using Firecrest.Core;
using Firecrest.Core.Client;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Integration.Tests.Infrastructure;

namespace Firecrest.Integration.Tests.Client;

/// <summary>Builds FirecrestClients of the in-process real server with tokens from the cluster's OIDC issuer, and polls jobs.</summary>
internal static class ClientFixture
{
    private static readonly HttpClient TokenHttp = new();

    public const string Account = "hpcproj";

    /// <summary>A client of <paramref name="server"/> acting as fireuser through the OIDC client-credentials provider.</summary>
    public static FirecrestClient For(LiveServer server, string authMethod = "client_secret_basic")
    {
        var http = server.CreateClient();
        var tokens = new OidcClientCredentialsTokenProvider(TokenHttp, server.Cluster["OIDC_TOKEN_URL"],
            server.Cluster["DEMO_CLIENT_ID"], server.Cluster["DEMO_CLIENT_SECRET"], authMethod);
        return new FirecrestClient(server.Server.BaseAddress, tokens, new FirecrestClientOptions { HttpClient = http });
    }

    /// <summary>A fresh directory under fireuser's home, created through <paramref name="ops"/>.</summary>
    public static async Task<string> NewDirectoryAsync(IHpcOperations ops, string system, string prefix)
    {
        var dir = $"/home/fireuser/{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 29)];
        await ops.Files.MakeDirectoryAsync(system, RemotePath.Parse(dir), parent: true);
        return dir;
    }

    /// <summary>Polls a job until it reaches a final state (deadline 90 s).</summary>
    public static async Task<Job> WaitForEndAsync(IHpcOperations ops, string system, string jobId)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var job = (await ops.Compute.GetJobAsync(system, JobId.Parse(jobId), cts.Token)).First();
            if (JobStates.IsFinal(job.State)) return job;
            await Task.Delay(500, cts.Token);
        }
    }
}
