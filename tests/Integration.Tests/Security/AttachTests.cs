using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Security;

/// <summary>
/// <c>PUT …/jobs/{id}/attach</c> on the real cluster: the command is one quoted word run by bash inside the job's
/// allocation, never on the login node; unknown jobs are 404, other users' jobs 403.
/// </summary>
[Trait("Category", "Security")]
public sealed class AttachTests(HardeningServer f, ITestOutputHelper output) : IClassFixture<HardeningServer>
{
    private static string Canary() => $"/tmp/attach-canary-{Guid.NewGuid():N}";

    [Fact]
    public async Task Canary_against_an_unknown_job_is_404_and_never_runs()
    {
        var canary = Canary();
        using var r = await f.User1.PutAsJsonAsync("/compute/cluster/jobs/999999/attach", new { command = $"true; id > {canary}" });
        output.WriteLine($"{(int)r.StatusCode} {await HardeningServer.MessageAsync(r)}");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.False(File.Exists(canary), "the canary file was written");
    }

    [Fact]
    public async Task Command_runs_inside_the_own_running_jobs_allocation_and_another_user_gets_403()
    {
        var jobId = await f.SubmitAsync("sleep 120");
        try
        {
            await f.WaitForStateAsync(jobId, "RUNNING");
            var canary = Canary();
            using (var other = await f.User2.PutAsJsonAsync($"/compute/cluster/jobs/{jobId}/attach", new { command = $"true; id > {canary}" }))
            {
                output.WriteLine($"fireuser2: {(int)other.StatusCode} {await HardeningServer.MessageAsync(other)}");
                Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            }
            Assert.False(File.Exists(canary), "fireuser2's canary file was written");

            using (var mine = await f.User1.PutAsJsonAsync($"/compute/cluster/jobs/{jobId}/attach", new { command = $"true; echo \"$SLURM_JOB_ID $SLURM_STEP_ID\" > {canary}" }))
                Assert.Equal(HttpStatusCode.NoContent, mine.StatusCode);
            var seen = File.ReadAllText(canary).Trim();
            File.Delete(canary);
            output.WriteLine($"inside the job: {seen}");
            var parts = seen.Split(' ');
            Assert.Equal(jobId, parts[0]);
            Assert.Matches("^[0-9]+\\z", parts[1]);
        }
        finally
        {
            await f.CancelAsync(jobId);
        }
    }

    [Fact]
    public async Task Cancelling_an_ended_job_is_400_not_500()
    {
        var jobId = await f.SubmitAsync("true");
        await f.WaitForStateAsync(jobId, "COMPLETED");
        using var r = await f.User1.DeleteAsync($"/compute/cluster/jobs/{jobId}");
        output.WriteLine($"{(int)r.StatusCode} {await HardeningServer.MessageAsync(r)}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }
}
