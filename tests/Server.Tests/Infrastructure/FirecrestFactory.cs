using Firecrest.Core.Models;
using System.Net.Http.Headers;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Firecrest.Server.Tests.Infrastructure;

/// <summary>The server in-process with a <see cref="FakeEngine"/> and settings built in code.</summary>
public sealed class FirecrestFactory : WebApplicationFactory<Program>
{
    /// <param name="clock">The server's <see cref="TimeProvider"/> (token lifetimes, JWKS refresh); the system clock when null.</param>
    public FirecrestFactory(Action<FirecrestSettings>? configure = null, IDictionary<string, string?>? serverSettings = null, TimeProvider? clock = null)
    {
        Clock = clock;
        Tokens = new TestTokens(clock: clock);
        Settings = DefaultSettings(Tokens.JwksUrl);
        configure?.Invoke(Settings);
        ServerSettings = serverSettings ?? new Dictionary<string, string?>();
    }

    public TestTokens Tokens { get; }
    public TimeProvider? Clock { get; }
    public FirecrestSettings Settings { get; }
    public FakeEngine Engine { get; } = new();
    private IDictionary<string, string?> ServerSettings { get; }

    public static FirecrestSettings DefaultSettings(string jwksUrl) => new()
    {
        Auth = new AuthSettings
        {
            Authentication = new AuthenticationSettings { PublicCerts = [jwksUrl], MinTokenTtl = 30, Issuer = TestTokens.Issuer, Audience = "firecrest-api" },
        },
        Clusters =
        [
            new ClusterSettings
            {
                Name = "cluster",
                Ssh = new SshSettings { Host = "127.0.0.1", Port = 2222 },
                Scheduler = new SchedulerSettings { Type = SchedulerType.Slurm, Version = "22.05.8" },
                ServiceAccount = new ServiceAccountSettings { ClientId = "svc", Secret = "top-secret-value" },
                Probing = new ProbingSettings { Services = new() { [HealthServiceType.Ssh] = new(), [HealthServiceType.Scheduler] = new(), [HealthServiceType.Filesystem] = new() } },
                FileSystems = [new FileSystemSettings { Path = "/home", DataType = FileSystemDataType.Users, DefaultWorkDir = true }, new FileSystemSettings { Path = "/scratch", DataType = FileSystemDataType.Scratch }],
                DataOperation = new DataOperationSettings
                {
                    MaxOpsFileSize = 1024,
                    DataTransfer = new DataTransferSettings { ServiceType = TransferMethod.S3, Name = "s3", PrivateUrl = "http://private:9000", PublicUrl = "http://public:9000", AccessKeyId = "AKID", SecretAccessKey = "SECRET-KEY" },
                },
            },
        ],
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (k, v) in ServerSettings) builder.UseSetting(k, v);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Settings);
            services.AddSingleton<IHpcEngine>(Engine);
            if (Clock is not null) services.AddSingleton(Clock);
        });
    }

    /// <summary>A client that sends a valid token of <paramref name="user"/>.</summary>
    public HttpClient ClientFor(string user = "fireuser")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Create(user));
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Tokens.Dispose();
    }
}
