using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Security;

/// <summary>
/// Each validated field reachable over the API, sent with a trailing newline to the real server: 400 naming the
/// problem, never 500 and never a remote command with the newline in it.
/// </summary>
[Trait("Category", "Security")]
public sealed class TrailingNewlineTests(HardeningServer f, ITestOutputHelper output) : IClassFixture<HardeningServer>
{
    private async Task AssertBadRequest(Task<HttpResponseMessage> call, string what)
    {
        using var r = await call;
        output.WriteLine($"{what}: {(int)r.StatusCode} {await HardeningServer.MessageAsync(r)}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact]
    public Task Chmod_mode() => AssertBadRequest(f.User1.PutAsJsonAsync("/filesystem/cluster/ops/chmod", new { path = "/home/fireuser", mode = "755\n" }), "mode");

    [Fact]
    public Task Chown_owner() => AssertBadRequest(f.User1.PutAsJsonAsync("/filesystem/cluster/ops/chown", new { path = "/home/fireuser", owner = "fireuser\n" }), "owner");

    [Fact]
    public Task Chown_group() => AssertBadRequest(f.User1.PutAsJsonAsync("/filesystem/cluster/ops/chown", new { path = "/home/fireuser", group = "fireuser\n" }), "group");

    [Fact]
    public Task Job_id_in_the_path() => AssertBadRequest(f.User1.GetAsync("/compute/cluster/jobs/1%0A"), "job id");

    [Fact]
    public Task Environment_variable_name() => AssertBadRequest(f.User1.PostAsJsonAsync("/compute/cluster/jobs",
        new { job = new { workingDirectory = "/home/fireuser", script = "#!/bin/bash\ntrue\n", env = new Dictionary<string, string> { ["A\n"] = "x" } } }), "env name");

    [Fact]
    public Task Transfer_account() => AssertBadRequest(f.User1.PostAsJsonAsync("/filesystem/cluster/transfer/upload",
        new { path = "/home/fireuser/nl-account.bin", account = "hpcproj\n", transferDirectives = new { transferMethod = "s3", fileSize = 10 } }), "account");
}
