using System.Net;
using System.Net.Http.Headers;
using Firecrest.Core.Models;

namespace Firecrest.Core.Tests.Client;

/// <summary>Retries of idempotent calls (Retry-After, backoff, MaxRetries), no retries of the others, one token refresh on 401.</summary>
public sealed class FirecrestClientRetryTests
{
    private const string Ls = """{"output":[]}""";

    private static Action<HttpResponseMessage> RetryAfterSeconds(int s) => r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(s));

    [Fact]
    public async Task A_get_answered_429_waits_the_retry_after_seconds_and_succeeds()
    {
        var server = new FakeServer().Answer(HttpStatusCode.TooManyRequests, "", RetryAfterSeconds(7)).Answer(HttpStatusCode.OK, Ls);

        await server.Client.Files.ListAsync("c1", RemotePath.Parse("/home"));

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], server.Clock.Delays);
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_honoured()
    {
        var server = new FakeServer()
            .Answer(HttpStatusCode.ServiceUnavailable, "", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(FakeServer.Start.AddSeconds(12)))
            .Answer(HttpStatusCode.OK, Ls);

        await server.Client.Files.ListAsync("c1", RemotePath.Parse("/home"));

        Assert.Equal([TimeSpan.FromSeconds(12)], server.Clock.Delays);
    }

    [Fact]
    public async Task Retry_after_is_capped_by_max_retry_delay()
    {
        var server = new FakeServer().Answer(HttpStatusCode.TooManyRequests, "", RetryAfterSeconds(3600)).Answer(HttpStatusCode.OK, Ls);

        await server.Client.Files.ListAsync("c1", RemotePath.Parse("/home"));

        Assert.Equal([TimeSpan.FromSeconds(30)], server.Clock.Delays);
    }

    [Fact]
    public async Task Without_retry_after_the_backoff_grows_exponentially_with_jitter()
    {
        var server = new FakeServer().Answer(HttpStatusCode.RequestTimeout).Answer(HttpStatusCode.RequestTimeout).Answer(HttpStatusCode.RequestTimeout).Answer(HttpStatusCode.OK, Ls);

        await server.Client.Status.GetNodesAsync("c1");

        Assert.Equal(3, server.Clock.Delays.Count);
        for (var i = 0; i < 3; i++)
        {
            var ceiling = TimeSpan.FromSeconds(Math.Pow(2, i)); // base 1 s
            Assert.InRange(server.Clock.Delays[i], ceiling / 2, ceiling);
        }
    }

    [Fact]
    public async Task Retries_stop_after_max_retries_with_the_rate_limited_error()
    {
        var server = new FakeServer(maxRetries: 2).Answer(HttpStatusCode.TooManyRequests, """{"errorType":"error","message":"slow down"}""", RetryAfterSeconds(1));

        var e = await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Status.GetPartitionsAsync("c1"));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal((HpcErrorKind.RateLimited, 429, "slow down"), (e.Kind, e.StatusCode, e.Message));
    }

    [Fact]
    public async Task Connection_failures_of_a_get_are_retried()
    {
        var server = new FakeServer().Fail(new HttpRequestException("connection refused")).Answer(HttpStatusCode.OK, Ls);

        await server.Client.Files.ListAsync("c1", RemotePath.Parse("/home"));

        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_post_that_is_not_idempotent_is_not_retried_on_503()
    {
        var server = new FakeServer().Answer(HttpStatusCode.ServiceUnavailable, """{"errorType":"error","message":"The ssh service for the requested system (c1) is unhealthy."}""", RetryAfterSeconds(1));

        var e = await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Files.MakeDirectoryAsync("c1", RemotePath.Parse("/home/u/d")));

        Assert.Single(server.Requests);
        Assert.Equal(HpcErrorKind.Unavailable, e.Kind);
        Assert.Empty(server.Clock.Delays);
    }

    [Fact]
    public async Task Transfer_jobs_and_deletes_are_not_retried_on_429_or_connection_failure()
    {
        var server = new FakeServer().Answer(HttpStatusCode.TooManyRequests, "", RetryAfterSeconds(1));
        await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Transfers.MoveAsync("c1", RemotePath.Parse("/a"), RemotePath.Parse("/b")));
        await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Files.RemoveAsync("c1", RemotePath.Parse("/a")));
        await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Compute.CancelJobAsync("c1", JobId.Parse("1")));
        Assert.Equal(3, server.Requests.Count);

        var failing = new FakeServer().Fail(new HttpRequestException("reset"));
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => failing.Client.Transfers.CopyAsync("c1", RemotePath.Parse("/a"), RemotePath.Parse("/b")));
        Assert.Single(failing.Requests);
        Assert.Equal(HpcErrorKind.Unavailable, e.Kind);
    }

    [Fact]
    public async Task A_submit_is_retried_with_the_same_generated_idempotency_key()
    {
        var server = new FakeServer().Answer(HttpStatusCode.ServiceUnavailable).Fail(new HttpRequestException("lost")).Answer(HttpStatusCode.Created, """{"jobId":"9"}""");

        var id = await server.Client.Compute.SubmitJobAsync("c1", new JobDescription { WorkingDirectory = "/", Script = "x" });

        Assert.Equal("9", id);
        var keys = server.Requests.Select(r => r.Request.Headers.GetValues("Idempotency-Key").Single()).ToList();
        Assert.Equal(3, keys.Count);
        Assert.Single(keys.Distinct());
        Assert.Matches("^[0-9a-f]{32}$", keys[0]);
    }

    [Fact]
    public async Task A_given_idempotency_key_is_sent_and_each_submit_without_one_gets_a_new_key()
    {
        var server = new FakeServer().Answer(HttpStatusCode.Created, """{"jobId":"9"}""");
        var job = new JobDescription { WorkingDirectory = "/", Script = "x" };

        await server.Client.Compute.SubmitJobAsync("c1", job, "my-key");
        await server.Client.Compute.SubmitJobAsync("c1", job);
        await server.Client.Compute.SubmitJobAsync("c1", job);

        var keys = server.Requests.Select(r => r.Request.Headers.GetValues("Idempotency-Key").Single()).ToList();
        Assert.Equal("my-key", keys[0]);
        Assert.NotEqual(keys[1], keys[2]);
    }

    [Fact]
    public async Task A_401_invalidates_the_token_once_and_retries_with_a_new_one()
    {
        var server = new FakeServer().Answer(HttpStatusCode.Unauthorized, """{"errorType":"error","message":"Access token expired"}""").Answer(HttpStatusCode.Created, """{"transferJob":{"jobId":"1"}}""");

        await server.Client.Transfers.MoveAsync("c1", RemotePath.Parse("/a"), RemotePath.Parse("/b"));

        Assert.Equal(1, server.Tokens.Invalidations);
        Assert.Equal(["Bearer tok1", "Bearer tok2"], server.Requests.Select(r => r.Request.Headers.Authorization!.ToString()));
    }

    [Fact]
    public async Task A_second_401_is_an_unauthenticated_error()
    {
        var server = new FakeServer().Answer(HttpStatusCode.Unauthorized, """{"errorType":"error","message":"Access token is invalid."}""");

        var e = await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Status.GetSystemsAsync());

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(1, server.Tokens.Invalidations);
        Assert.Equal((HpcErrorKind.Unauthenticated, 401, "Access token is invalid."), (e.Kind, e.StatusCode, e.Message));
    }

    [Fact]
    public async Task Cancellation_stops_a_call_between_retries()
    {
        using var cts = new CancellationTokenSource();
        var server = new FakeServer().Answer(HttpStatusCode.ServiceUnavailable, "", r => cts.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Client.Files.ListAsync("c1", RemotePath.Parse("/"), cancellationToken: cts.Token));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Each_call_has_its_own_request_id_kept_across_its_retries()
    {
        var server = new FakeServer().Answer(HttpStatusCode.TooManyRequests).Answer(HttpStatusCode.OK, Ls).Answer(HttpStatusCode.OK, Ls);

        await server.Client.Files.ListAsync("c1", RemotePath.Parse("/"));
        await server.Client.Files.ListAsync("c1", RemotePath.Parse("/"));

        var ids = server.Requests.Select(r => r.Request.Headers.GetValues("X-Request-ID").Single()).ToList();
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[1], ids[2]);
    }

    [Fact]
    public async Task Chmod_is_retried_but_attach_which_runs_a_command_is_not()
    {
        const string File = """{"output":{"name":"f","type":"-","user":"u","group":"g","permissions":"rwx------","lastModified":"2026-01-01T00:00:00","size":"1"}}""";
        var chmod = new FakeServer().Answer(HttpStatusCode.ServiceUnavailable).Answer(HttpStatusCode.OK, File);
        await chmod.Client.Files.ChmodAsync("c1", RemotePath.Parse("/f"), "700");
        Assert.Equal(2, chmod.Requests.Count);
        Assert.Equal(chmod.Requests[0].Body, chmod.Requests[1].Body);

        var attach = new FakeServer().Answer(HttpStatusCode.ServiceUnavailable);
        await Assert.ThrowsAnyAsync<HpcException>(() => attach.Client.Compute.AttachAsync("c1", JobId.Parse("1"), "hostname"));
        Assert.Single(attach.Requests);
    }

    [Fact]
    public async Task An_upload_refused_with_401_is_sent_again_with_its_whole_body()
    {
        var server = new FakeServer().Answer(HttpStatusCode.Unauthorized).Answer(HttpStatusCode.NoContent);

        await server.Client.Files.UploadAsync("c1", RemotePath.Parse("/d"), "f.txt", new MemoryStream("payload"u8.ToArray()));

        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Contains("payload", r.Body));
    }
}
