using System.Net;
using Firecrest.Core.Ssh.Credentials;

namespace Firecrest.Core.Tests.Ssh;

public class RequestIdForwardingTests
{
    private sealed class Recorder : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError));
        }
    }

    private static async Task<HttpRequestMessage> SentBy(Func<HttpClient, ISshCredentialProvider> create, bool withIds)
    {
        var recorder = new Recorder();
        var provider = create(new HttpClient(recorder));
        await Task.Run(async () =>
        {
            if (withIds) RequestIds.Set("0f8fad5bd9cb469fa16570867728950e", "7c9e6679742540de944be07fc1f90ae7");
            await Assert.ThrowsAnyAsync<Exception>(() => provider.GetCredentialAsync(new UserIdentity("fireuser", "jwt"), CancellationToken.None));
        });
        return Assert.Single(recorder.Requests);
    }

    public static TheoryData<string> Providers => ["SSHService", "SSHCA"];

    private static ISshCredentialProvider Create(string kind, HttpClient http) => kind == "SSHService"
        ? new SshKeyServiceCredentialProvider(http, "http://keys.example")
        : new RemoteCaCredentialProvider(http, "http://ca.example");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Request_and_correlation_ids_of_the_api_request_reach_the_key_service(string kind)
    {
        var request = await SentBy(http => Create(kind, http), withIds: true);
        Assert.Equal("0f8fad5bd9cb469fa16570867728950e", Assert.Single(request.Headers.GetValues("X-Request-ID")));
        Assert.Equal("7c9e6679742540de944be07fc1f90ae7", Assert.Single(request.Headers.GetValues("X-Correlation-ID")));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Outside_a_request_no_ids_are_sent(string kind)
    {
        var request = await SentBy(http => Create(kind, http), withIds: false);
        Assert.False(request.Headers.Contains("X-Request-ID"));
    }
}
