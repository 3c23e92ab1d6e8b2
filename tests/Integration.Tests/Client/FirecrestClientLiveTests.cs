using System.Security.Cryptography;
using System.Text;
using Firecrest.Core;
using Firecrest.Core.Client;
using Firecrest.Core.Models;
using Firecrest.Integration.Tests.Infrastructure;

namespace Firecrest.Integration.Tests.Client;

/// <summary>FirecrestClient against the real server in process on the local cluster, with real OIDC tokens: every route at least once.</summary>
public sealed class FirecrestClientLiveTests(LiveServer server) : IClassFixture<LiveServer>
{
    private string System => server.System;

    [Fact]
    public async Task Status_routes_describe_the_local_cluster()
    {
        using var client = ClientFixture.For(server);

        var systems = await client.Status.GetSystemsAsync();
        var nodes = await client.Status.GetNodesAsync(System);
        var partitions = await client.Status.GetPartitionsAsync(System);
        var reservations = await client.Status.GetReservationsAsync(System);
        var me = await client.Status.GetUserInfoAsync(System);

        Assert.Contains(systems, s => s.Name == System);
        Assert.NotEmpty(nodes);
        Assert.Contains(partitions, p => p.Name == "debug");
        Assert.Contains(partitions, p => p.Name == "long");
        Assert.NotNull(reservations);
        Assert.Equal("fireuser", me.User.Name);
        Assert.Contains(me.Accounts!, a => a.Name == ClientFixture.Account);
    }

    [Fact]
    public async Task Client_secret_post_tokens_work_too()
    {
        using var client = ClientFixture.For(server, "client_secret_post");
        Assert.Equal("fireuser", (await client.Status.GetUserInfoAsync(System)).User.Name);
    }

    [Fact]
    public async Task Ops_routes_round_trip_a_file()
    {
        using var client = ClientFixture.For(server);
        var dir = await ClientFixture.NewDirectoryAsync(client, System, "cli-ops");
        try
        {
            var content = Encoding.UTF8.GetBytes("line 1\nline 2\nline 3\n");
            await client.Files.UploadAsync(System, RemotePath.Parse(dir), "it's a file.txt", new MemoryStream(content));
            var file = $"{dir}/it's a file.txt";

            var listed = await client.Files.ListAsync(System, RemotePath.Parse(dir));
            Assert.Equal(("it's a file.txt", content.Length.ToString()), (listed.Single().Name, listed.Single().Size));
            Assert.Equal("line 1\n", (await client.Files.HeadAsync(System, RemotePath.Parse(file), lines: 1)).Content);
            Assert.Equal("line 3\n", (await client.Files.TailAsync(System, RemotePath.Parse(file), lines: 1)).Content);
            Assert.Equal("line 2", await client.Files.ViewAsync(System, RemotePath.Parse(file), size: 6, offset: 7));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), (await client.Files.ChecksumAsync(System, RemotePath.Parse(file))).Checksum);
            Assert.Contains("text", await client.Files.FileTypeAsync(System, RemotePath.Parse(file)));
            Assert.Equal(content.Length, (await client.Files.StatAsync(System, RemotePath.Parse(file))).Size);
            Assert.Equal(content, await client.Files.DownloadAsync(System, RemotePath.Parse(file)));

            Assert.Equal("rwx------", (await client.Files.ChmodAsync(System, RemotePath.Parse(file), "700")).Permissions);
            Assert.Equal("fireuser", (await client.Files.ChownAsync(System, RemotePath.Parse(file), "fireuser", null)).User);
            var link = await client.Files.SymlinkAsync(System, RemotePath.Parse(file), RemotePath.Parse($"{dir}/link"));
            Assert.Equal(("l", file), (link.Type, link.LinkTarget));

            await client.Files.CompressAsync(System, new CompressRequest(RemotePath.Parse(dir + "/it's a file.txt"), RemotePath.Parse($"{dir}/a.tar.gz")));
            await client.Files.MakeDirectoryAsync(System, RemotePath.Parse($"{dir}/out"));
            await client.Files.ExtractAsync(System, new ExtractRequest(RemotePath.Parse($"{dir}/a.tar.gz"), RemotePath.Parse($"{dir}/out")));
            Assert.Contains(await client.Files.ListAsync(System, RemotePath.Parse($"{dir}/out"), new ListOptions(Recursive: true)), f => f.Name.EndsWith("it's a file.txt"));

            await client.Files.RemoveAsync(System, RemotePath.Parse(file));
            var e = await Assert.ThrowsAnyAsync<HpcException>(() => client.Files.StatAsync(System, RemotePath.Parse(file)));
            Assert.Equal((HpcErrorKind.NotFound, 404), (e.Kind, e.StatusCode));
            Assert.Matches("^[0-9a-f]{32}$", e.RequestId!);
        }
        finally
        {
            await client.Files.RemoveAsync(System, RemotePath.Parse(dir));
        }
    }

    [Fact]
    public async Task Errors_of_the_server_carry_its_message_status_and_user()
    {
        using var client = ClientFixture.For(server);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => client.Files.ListAsync(System, RemotePath.Parse("/home/fireuser2")));
        Assert.Equal((HpcErrorKind.PermissionDenied, 403), (e.Kind, e.StatusCode));
        Assert.Contains("Permission denied", e.Message);

        var unknown = await Assert.ThrowsAnyAsync<HpcException>(() => client.Status.GetUserInfoAsync("no-such-system"));
        Assert.Equal((HpcErrorKind.NotFound, 404), (unknown.Kind, unknown.StatusCode));
    }

    [Fact]
    public async Task Jobs_are_submitted_described_listed_and_cancelled()
    {
        using var client = ClientFixture.For(server);
        var name = $"cli-{Guid.NewGuid():N}"[..16];
        var job = new JobDescription
        {
            Name = name,
            WorkingDirectory = "/home/fireuser",
            StandardOutput = "/dev/null",
            Account = ClientFixture.Account,
            Partition = "debug",
            Script = "#!/bin/bash\nsleep 120\n",
        };

        var id = await client.Compute.SubmitJobAsync(System, job);
        try
        {
            Assert.Equal(id, (await client.Compute.GetJobAsync(System, JobId.Parse(id))).First().JobId);
            Assert.Contains("sleep 120", (await client.Compute.GetJobMetadataAsync(System, JobId.Parse(id))).Single().Script);
            Assert.Contains(await client.Compute.GetJobsAsync(System, new JobQuery(Name: name)), j => j.JobId == id);
        }
        finally
        {
            await client.Compute.CancelJobAsync(System, JobId.Parse(id));
        }
        var end = await ClientFixture.WaitForEndAsync(client, System, id);
        Assert.Equal(JobState.Cancelled, end.State);
    }

    [Fact]
    public async Task A_submit_repeated_with_the_same_idempotency_key_returns_the_first_job()
    {
        using var client = ClientFixture.For(server);
        var job = new JobDescription { WorkingDirectory = "/home/fireuser", StandardOutput = "/dev/null", Account = ClientFixture.Account, Script = "#!/bin/bash\ntrue\n" };
        var key = Guid.NewGuid().ToString("N");

        var first = await client.Compute.SubmitJobAsync(System, job, key);
        var second = await client.Compute.SubmitJobAsync(System, job, key);
        var third = await client.Compute.SubmitJobAsync(System, job);

        Assert.Equal(first, second);
        Assert.NotEqual(first, third);
    }

    [Fact]
    public async Task Transfer_jobs_are_submitted_and_a_copy_arrives()
    {
        using var client = ClientFixture.For(server);
        var dir = await ClientFixture.NewDirectoryAsync(client, System, "cli-xfer");
        try
        {
            await client.Files.UploadAsync(System, RemotePath.Parse(dir), "a.txt", new MemoryStream("abc"u8.ToArray()));

            var cp = await client.Transfers.CopyAsync(System, RemotePath.Parse($"{dir}/a.txt"), RemotePath.Parse($"{dir}/b.txt"), account: ClientFixture.Account);
            Assert.Equal(System, cp.System);
            Assert.False(string.IsNullOrEmpty(cp.Logs.OutputLog));
            Assert.Equal(JobState.Completed, (await ClientFixture.WaitForEndAsync(client, System, cp.JobId)).State);
            Assert.Equal("abc"u8.ToArray(), await client.Files.DownloadAsync(System, RemotePath.Parse($"{dir}/b.txt")));

            var jobs = new[]
            {
                await client.Transfers.MoveAsync(System, RemotePath.Parse($"{dir}/b.txt"), RemotePath.Parse($"{dir}/c.txt"), ClientFixture.Account),
                await client.Transfers.CompressAsync(System, new CompressRequest(RemotePath.Parse($"{dir}/a.txt"), RemotePath.Parse($"{dir}/a.tgz")), ClientFixture.Account),
            };
            foreach (var j in jobs) Assert.Equal(JobState.Completed, (await ClientFixture.WaitForEndAsync(client, System, j.JobId)).State);
            await client.Files.MakeDirectoryAsync(System, RemotePath.Parse($"{dir}/x"));
            var extract = await client.Transfers.ExtractAsync(System, new ExtractRequest(RemotePath.Parse($"{dir}/a.tgz"), RemotePath.Parse($"{dir}/x")), ClientFixture.Account);
            var rm = await client.Transfers.RemoveAsync(System, RemotePath.Parse($"{dir}/c.txt"), ClientFixture.Account);
            foreach (var j in new[] { extract, rm }) Assert.Equal(JobState.Completed, (await ClientFixture.WaitForEndAsync(client, System, j.JobId)).State);

            var names = (await client.Files.ListAsync(System, RemotePath.Parse(dir))).Select(f => f.Name).ToList();
            Assert.Contains("a.tgz", names);
            Assert.DoesNotContain("b.txt", names);
            Assert.DoesNotContain("c.txt", names);
            Assert.NotEmpty(await client.Files.ListAsync(System, RemotePath.Parse($"{dir}/x"), new ListOptions(Recursive: true)));
        }
        finally
        {
            await client.Files.RemoveAsync(System, RemotePath.Parse(dir));
        }
    }

    [Fact]
    public async Task Upload_and_download_start_with_presigned_urls()
    {
        using var client = ClientFixture.For(server);
        var dir = await ClientFixture.NewDirectoryAsync(client, System, "cli-s3");
        var started = new List<string>();
        try
        {
            await client.Files.UploadAsync(System, RemotePath.Parse(dir), "src.bin", new MemoryStream(new byte[100]));

            var up = await client.Transfers.StartUploadAsync(System, RemotePath.Parse($"{dir}/in.bin"), 10, ClientFixture.Account);
            started.Add(up.TransferJob.JobId);
            var down = await client.Transfers.StartDownloadAsync(System, RemotePath.Parse($"{dir}/src.bin"), ClientFixture.Account);
            started.Add(down.TransferJob.JobId);

            Assert.Equal(TransferMethod.S3, up.TransferDirectives!.TransferMethod);
            Assert.Single(up.TransferDirectives.PartsUploadUrls!);
            Assert.StartsWith("http", up.TransferDirectives.CompleteUploadUrl);
            Assert.True(up.TransferDirectives.MaxPartSize > 0);
            Assert.StartsWith("http", down.TransferDirectives!.DownloadUrl);
        }
        finally
        {
            foreach (var id in started.Where(i => i.Length > 0))
            {
                try
                {
                    await client.Compute.CancelJobAsync(System, JobId.Parse(id));
                }
                catch (HpcException)
                {
                    // already finished
                }
            }
            await client.Files.RemoveAsync(System, RemotePath.Parse(dir));
        }
    }
}
