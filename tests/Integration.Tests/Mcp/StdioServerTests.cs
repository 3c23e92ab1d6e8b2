using System.Text.Json;
using Firecrest.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Integration.Tests.Mcp;

/// <summary>The firecrest-mcp stdio server as a process, direct mode (YAML config + user), against the local cluster.</summary>
public sealed class StdioServerTests : IAsyncLifetime
{
    private const string System = "cluster";
    private readonly TestCluster _cluster = TestCluster.Current;
    private McpClient _client = null!;
    private readonly StringWriter _stderr = new();

    public async Task InitializeAsync()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "firecrest-mcp",
            Command = "dotnet",
            Arguments = [McpServerBinary.Path, "--config", _cluster.ConfigPath, "--user", "fireuser", "--allowed-paths", "/home/fireuser,/tmp"],
            StandardErrorLines = line => { lock (_stderr) _stderr.WriteLine(line); },
        });
        _client = await McpClient.CreateAsync(transport);
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private async Task<JsonElement> CallAsync(string tool, Dictionary<string, object?> args)
    {
        var r = await _client.CallToolAsync(tool, args);
        Assert.True(r.IsError != true, r.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text);
        return r.StructuredContent!.Value;
    }

    [Fact]
    public async Task Lists_systems_and_user_info_of_the_configured_user()
    {
        var systems = await CallAsync("list_systems", []);
        Assert.Contains(systems.GetProperty("items").EnumerateArray(), s => s.GetProperty("name").GetString() == System);
        var info = await CallAsync("get_user_info", new() { ["system"] = System });
        Assert.Equal("fireuser", info.GetProperty("user").GetProperty("name").GetString());
        lock (_stderr) Assert.Contains("list_systems", _stderr.ToString());
    }

    [Fact]
    public async Task Submits_a_job_waits_for_it_and_reads_its_output()
    {
        var dir = $"/home/fireuser/mcp-stdio-{Guid.NewGuid():N}";
        await CallAsync("make_directory", new() { ["system"] = System, ["path"] = dir });
        try
        {
            var marker = Guid.NewGuid().ToString("N");
            var job = await CallAsync("submit_job", new()
            {
                ["system"] = System, ["working_directory"] = dir, ["name"] = "mcp-e2e",
                ["script"] = $"#!/bin/bash\n#SBATCH --time=00:02:00\necho {marker}\necho oops >&2\n",
                ["stdout_path"] = $"{dir}/out.txt", ["stderr_path"] = $"{dir}/err.txt",
            });
            var id = job.GetProperty("jobId").GetString()!;
            var progress = new List<ModelContextProtocol.ProgressNotificationValue>();
            var waited = await _client.CallToolAsync("wait_for_job",
                new Dictionary<string, object?> { ["system"] = System, ["job_id"] = id, ["timeout_seconds"] = 120, ["poll_seconds"] = 2 },
                new Progress(progress));
            var result = waited.StructuredContent!.Value;
            Assert.True(result.GetProperty("finished").GetBoolean(), waited.Content.OfType<TextContentBlock>().First().Text);
            Assert.Equal("completed", result.GetProperty("job").GetProperty("state").GetString());
            var stdout = await CallAsync("get_job_output", new() { ["system"] = System, ["job_id"] = id });
            Assert.Contains(marker, stdout.GetProperty("content").GetString());
            var stderr = await CallAsync("get_job_output", new() { ["system"] = System, ["job_id"] = id, ["stream"] = "stderr" });
            Assert.Contains("oops", stderr.GetProperty("content").GetString());
            lock (progress) Assert.NotEmpty(progress);
        }
        finally
        {
            await _client.CallToolAsync("remove_path", new Dictionary<string, object?> { ["system"] = System, ["path"] = dir });
        }
    }

    [Fact]
    public async Task Files_round_trip_through_write_read_copy_checksum_and_local_download()
    {
        var dir = $"/home/fireuser/mcp-files-{Guid.NewGuid():N}";
        var local = Directory.CreateTempSubdirectory("mcp-e2e-");
        await CallAsync("make_directory", new() { ["system"] = System, ["path"] = dir });
        try
        {
            await CallAsync("write_file", new() { ["system"] = System, ["path"] = $"{dir}/it's a file.txt", ["content"] = "alpha\nbeta\n" });
            var head = await CallAsync("read_file", new() { ["system"] = System, ["path"] = $"{dir}/it's a file.txt", ["lines"] = 1 });
            Assert.Equal("alpha\n", head.GetProperty("content").GetString());
            await CallAsync("copy_path", new() { ["system"] = System, ["source_path"] = $"{dir}/it's a file.txt", ["target_path"] = $"{dir}/copy.txt", ["timeout_seconds"] = 120, ["account"] = "hpcproj" });
            var sum = await CallAsync("checksum", new() { ["system"] = System, ["path"] = $"{dir}/copy.txt" });
            Assert.Equal(64, sum.GetProperty("checksum").GetString()!.Length);
            var target = Path.Combine(local.FullName, "copy.txt");
            await CallAsync("download_file", new() { ["system"] = System, ["remote_path"] = $"{dir}/copy.txt", ["local_path"] = target });
            Assert.Equal("alpha\nbeta\n", await File.ReadAllTextAsync(target));
            var expected = Convert.ToHexStringLower(global::System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(target)));
            Assert.Equal(expected, sum.GetProperty("checksum").GetString());
            var listing = await CallAsync("list_directory", new() { ["system"] = System, ["path"] = dir });
            Assert.Equal(2, listing.GetProperty("items").GetArrayLength());
            var outside = await _client.CallToolAsync("list_directory", new Dictionary<string, object?> { ["system"] = System, ["path"] = "/etc" });
            Assert.True(outside.IsError);
        }
        finally
        {
            local.Delete(true);
            await _client.CallToolAsync("remove_path", new Dictionary<string, object?> { ["system"] = System, ["path"] = dir });
        }
    }

    private sealed class Progress(List<ModelContextProtocol.ProgressNotificationValue> values) : IProgress<ModelContextProtocol.ProgressNotificationValue>
    {
        public void Report(ModelContextProtocol.ProgressNotificationValue value) { lock (values) values.Add(value); }
    }
}
