using System.Net;
using System.Text.Json;
using Firecrest.Core.Client;
using Firecrest.Core.Errors;

namespace Firecrest.Core.Tests.Client;

/// <summary>Error answers become HpcException with the server's message, status, causes, data and the request id.</summary>
public sealed class FirecrestClientErrorTests
{
    [Fact]
    public async Task The_error_envelope_fills_the_exception()
    {
        var server = new FakeServer().Answer(HttpStatusCode.NotFound,
            """{"errorType":"error","message":"ls: cannot access '/nope': No such file or directory","causedBy":["SSH failed","exit 2"],"data":{"path":"/nope"},"user":"u"}""");

        var e = await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Files.ListAsync("c1", RemotePath.Parse("/nope")));

        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
        Assert.Equal(404, e.StatusCode);
        Assert.Equal("ls: cannot access '/nope': No such file or directory", e.Message);
        Assert.Equal(["SSH failed", "exit 2"], e.CausedBy);
        Assert.Equal("/nope", Assert.IsType<JsonElement>(e.ErrorData).GetProperty("path").GetString());
        Assert.Equal(server.Requests.Single().Request.Headers.GetValues("X-Request-ID").Single(), e.RequestId);
    }

    [Fact]
    public async Task A_validation_envelope_keeps_its_field_data()
    {
        var server = new FakeServer().Answer(HttpStatusCode.BadRequest,
            """{"errorType":"validation","message":"Field required","data":{"fields":[{"location":"query","name":"path","message":"Field required"}]}}""");

        var e = await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Files.StatAsync("c1", RemotePath.Parse("/x")));

        Assert.Equal((HpcErrorKind.InvalidArgument, 400), (e.Kind, e.StatusCode));
        Assert.Equal("path", Assert.IsType<JsonElement>(e.ErrorData).GetProperty("fields")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_an_envelope_becomes_the_message()
    {
        var server = new FakeServer().Answer(HttpStatusCode.BadGateway, "<html>upstream down</html>");

        var e = await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Status.GetSystemsAsync());

        Assert.Equal((HpcErrorKind.Internal, 502), (e.Kind, e.StatusCode));
        Assert.Contains("<html>upstream down</html>", e.Message);
        Assert.Contains("502", e.Message);
        Assert.Null(e.CausedBy);
    }

    [Fact]
    public async Task An_empty_error_body_uses_the_reason_phrase()
    {
        var server = new FakeServer().Answer(HttpStatusCode.Forbidden);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Files.RemoveAsync("c1", RemotePath.Parse("/x")));
        Assert.Equal((HpcErrorKind.PermissionDenied, 403), (e.Kind, e.StatusCode));
        Assert.Contains("Forbidden", e.Message);
    }

    [Fact]
    public async Task Unexpected_json_in_a_success_answer_is_an_internal_error_with_the_request_id()
    {
        var server = new FakeServer().Answer(HttpStatusCode.OK, """{"output":"not a list"}""");
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Files.ListAsync("c1", RemotePath.Parse("/")));
        Assert.Equal(HpcErrorKind.Internal, e.Kind);
        Assert.NotNull(e.RequestId);
    }

    [Fact]
    public async Task An_unreachable_server_is_unavailable_after_the_retries()
    {
        var server = new FakeServer(maxRetries: 1).Fail(new HttpRequestException("connection refused"));
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => server.Client.Status.GetSystemsAsync());
        Assert.Equal(HpcErrorKind.Unavailable, e.Kind);
        Assert.Equal(2, server.Requests.Count);
        Assert.IsType<HttpRequestException>(e.InnerException);
    }
}
