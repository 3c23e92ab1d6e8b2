using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Security;

/// <summary>The faults the review saw as 500, replayed on the real server: each is now a 4xx with a clear message.</summary>
[Trait("Category", "Security")]
public sealed class ClientErrorTests(HardeningServer f, ITestOutputHelper output) : IClassFixture<HardeningServer>
{
    private async Task<HttpStatusCode> StatusOf(Task<HttpResponseMessage> call, string what)
    {
        using var r = await call;
        output.WriteLine($"{what}: {(int)r.StatusCode} {await HardeningServer.MessageAsync(r)}");
        return r.StatusCode;
    }

    [Theory]
    [InlineData("head")]
    [InlineData("tail")]
    [InlineData("view")]
    [InlineData("checksum")]
    [InlineData("download")]
    public async Task File_operation_on_a_directory_is_400(string op) =>
        Assert.Equal(HttpStatusCode.BadRequest, await StatusOf(f.User1.GetAsync($"/filesystem/cluster/ops/{op}?path=/home/fireuser"), op));

    [Fact]
    public async Task View_offset_near_2_pow_63_is_400() =>
        Assert.Equal(HttpStatusCode.BadRequest, await StatusOf(f.User1.GetAsync($"/filesystem/cluster/ops/view?path=/home/fireuser/.bashrc&offset={long.MaxValue - 10}&size=100"), "view"));

    [Fact]
    public async Task A_command_over_64_KiB_is_413() =>
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge,
            await StatusOf(f.User1.PutAsJsonAsync("/compute/cluster/jobs/1/attach", new { command = "echo " + new string('a', 70_000) }), "attach"));

    [Fact]
    public async Task Sbatch_too_long_is_400() =>
        Assert.Equal(HttpStatusCode.BadRequest, await StatusOf(f.User1.PostAsJsonAsync("/compute/cluster/jobs",
            new { job = new { workingDirectory = "/home/fireuser", name = new string('n', 5000), script = "#!/bin/bash\ntrue\n" } }), "sbatch"));
}
