using System.Text.Json;
using Firecrest.Mcp.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// The MCP contract as hosts see it, over a real client and server in memory: instructions, titles and truthful
/// annotations, portable schemas with wire enums, argument errors that name the argument, completion, log notifications.
/// </summary>
public sealed class ContractTests
{
    /// <summary>(readOnly, destructive, idempotent, openWorld) of each tool whose behaviour is known here.</summary>
    private static readonly Dictionary<string, (bool ReadOnly, bool Destructive, bool Idempotent, bool OpenWorld)> Hints = new()
    {
        ["list_systems"] = (true, false, true, false), ["get_system_status"] = (true, false, true, false),
        ["list_partitions"] = (true, false, true, false), ["get_user_info"] = (true, false, true, false),
        ["submit_job"] = (false, true, false, true), ["list_jobs"] = (true, false, true, false), ["get_job"] = (true, false, true, false),
        ["wait_for_job"] = (true, false, true, false), ["cancel_job"] = (false, true, true, false), ["get_job_output"] = (true, false, true, false),
        ["list_directory"] = (true, false, true, false), ["read_file"] = (true, false, true, false), ["write_file"] = (false, true, true, false),
        ["stat_path"] = (true, false, true, false), ["checksum"] = (true, false, true, false), ["make_directory"] = (false, false, true, false),
        ["remove_path"] = (false, true, true, false), ["move_path"] = (false, true, false, false), ["copy_path"] = (false, true, true, false),
        ["upload_file"] = (false, true, true, false), ["download_file"] = (false, true, true, false), ["run_command"] = (false, true, false, true),
        ["run_batch"] = (false, true, false, true), ["get_batch_status"] = (true, false, true, false),
        ["cancel_batch"] = (false, true, true, false),
        ["submit_job_array"] = (false, true, false, true), ["list_array_tasks"] = (true, false, true, false), ["describe_job"] = (true, false, true, false),
        ["hold_job"] = (false, false, true, false), ["release_job"] = (false, false, true, false), ["list_nodes"] = (true, false, true, false),
    };

    private static Task<InMemoryMcp> StartAsync(FakeHpc? hpc = null, string? protocolVersion = null) =>
        InMemoryMcp.StartAsync(hpc ?? new FakeHpc(), new McpToolOptions { LocalFiles = true, AllowCommands = true },
            clientOptions: protocolVersion is null ? null : new McpClientOptions { ProtocolVersion = protocolVersion });

    [Fact]
    public async Task The_server_gives_instructions_that_start_with_list_systems()
    {
        await using var mcp = await StartAsync();
        Assert.Contains("list_systems", mcp.Client.ServerInstructions);
    }

    [Fact]
    public async Task Every_tool_has_a_title_and_all_four_hints_and_the_known_ones_tell_the_truth()
    {
        await using var mcp = await StartAsync();
        foreach (var tool in (await mcp.Client.ListToolsAsync()).Select(t => t.ProtocolTool))
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Title), $"{tool.Name} has no title");
            var a = tool.Annotations!;
            Assert.True(a.ReadOnlyHint is not null && a.DestructiveHint is not null && a.IdempotentHint is not null && a.OpenWorldHint is not null, $"{tool.Name} lacks a hint");
            if (!Hints.TryGetValue(tool.Name, out var expected)) continue;
            Assert.Equal((tool.Name, expected), (tool.Name, (a.ReadOnlyHint!.Value, a.DestructiveHint!.Value, a.IdempotentHint!.Value, a.OpenWorldHint!.Value)));
        }
    }

    [Fact]
    public async Task Schemas_are_portable_and_enums_carry_the_wire_strings()
    {
        await using var mcp = await StartAsync();
        var tools = (await mcp.Client.ListToolsAsync()).Select(t => t.ProtocolTool).ToList();
        foreach (var tool in tools)
        {
            AssertPortable(tool.Name + ".inputSchema", tool.InputSchema);
            Assert.True(tool.OutputSchema is not null, $"{tool.Name} has no outputSchema");
            AssertPortable(tool.Name + ".outputSchema", tool.OutputSchema!.Value);
        }
        var batch = tools.Single(t => t.Name == "get_batch_status").OutputSchema!.Value.GetRawText();
        Assert.Contains("\"completed\"", batch);
        Assert.DoesNotContain("\"Completed\"", batch);
        var readFile = tools.Single(t => t.Name == "read_file").InputSchema.GetProperty("properties");
        Assert.Equal(["head", "tail", "window"], readFile.GetProperty("mode").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, readFile.GetProperty("lines").GetProperty("minimum").GetInt32());
        Assert.Equal(100000, readFile.GetProperty("lines").GetProperty("maximum").GetInt32());
        var output = tools.Single(t => t.Name == "get_job_output").InputSchema.GetProperty("properties").GetProperty("stream");
        Assert.Equal(["stdout", "stderr"], output.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        // Output properties carry the documentation of their types.
        var health = tools.Single(t => t.Name == "get_system_status").OutputSchema!.Value.GetRawText();
        Assert.Contains("\"description\"", health);
        Assert.Contains("\"enum\":[\"ssh\"", health.Replace(" ", ""));
    }

    [Fact]
    public async Task Every_output_property_is_described()
    {
        await using var mcp = await StartAsync();
        var missing = new List<string>();
        foreach (var tool in (await mcp.Client.ListToolsAsync()).Select(t => t.ProtocolTool))
            CollectUndescribed(tool.Name, tool.OutputSchema!.Value, missing);
        Assert.True(missing.Count == 0, "output properties without a description (document them on the record or model): " + string.Join(", ", missing));
    }

    private static void CollectUndescribed(string path, JsonElement schema, List<string> missing)
    {
        if (schema.ValueKind != JsonValueKind.Object) return;
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var p in properties.EnumerateObject())
            {
                if (!p.Value.TryGetProperty("description", out _)) missing.Add($"{path}.{p.Name}");
                CollectUndescribed($"{path}.{p.Name}", p.Value, missing);
            }
        }
        if (schema.TryGetProperty("items", out var items)) CollectUndescribed(path + "[]", items, missing);
        if (schema.TryGetProperty("anyOf", out var anyOf))
            foreach (var b in anyOf.EnumerateArray()) CollectUndescribed(path, b, missing);
    }

    [Fact]
    public async Task Structured_answers_come_as_compact_json_text_too()
    {
        await using var mcp = await StartAsync();
        var result = await mcp.CallAsync("list_systems");
        var json = result.Content.OfType<TextContentBlock>().Select(t => t.Text).Single(t => t.StartsWith('{'));
        Assert.DoesNotContain("\n", json);
        Assert.True(JsonElement.DeepEquals(result.StructuredContent!.Value, JsonDocument.Parse(json).RootElement));
    }

    [Theory]
    [InlineData("read_file", """{"system":"alps","path":"/home/a","lines":"ten"}""", "Argument 'lines' must be an integer from 1 to 100000; received \"ten\".")]
    [InlineData("read_file", """{"system":"alps","path":"/home/a","lines":0}""", "Argument 'lines' must be an integer from 1 to 100000; received 0.")]
    [InlineData("read_file", """{"system":"alps","path":"/home/a","mode":"middle"}""", "Argument 'mode' must be one of \"head\", \"tail\", \"window\"; received \"middle\".")]
    [InlineData("get_job_output", """{"system":"alps","job_id":"1","stream":"both"}""", "Argument 'stream' must be one of \"stdout\", \"stderr\"; received \"both\".")]
    [InlineData("list_directory", """{"system":"alps","path":"/home","recursive":true}""", "Unknown argument 'recursive' (received true); list_directory takes system, path, show_hidden.")]
    [InlineData("list_directory", """{"system":"alps"}""", "Argument 'path' is missing; it must be a string.")]
    [InlineData("list_directory", """{"system":"alps","path":42}""", "Argument 'path' must be a string; received 42.")]
    public async Task Bad_arguments_are_refused_with_the_argument_what_it_takes_and_what_came(string tool, string arguments, string expected)
    {
        var hpc = new FakeHpc();
        await using var mcp = await StartAsync(hpc);
        var args = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments)!;
        var result = await mcp.Client.CallToolAsync(new CallToolRequestParams { Name = tool, Arguments = args });
        Assert.True(result.IsError);
        var text = InMemoryMcp.Text(result);
        Assert.Contains(expected, text);
        Assert.DoesNotContain("try again", text, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(hpc.Calls); // nothing reached the cluster
    }

    [Theory]
    [InlineData("system", "", new[] { "alps", "eiger" })]
    [InlineData("system", "ei", new[] { "eiger" })]
    [InlineData("partition", "d", new[] { "debug" })]
    [InlineData("account", "", new[] { "hpcproj" })]
    public async Task Completion_offers_the_clusters_values(string argument, string typed, string[] expected)
    {
        await using var mcp = await StartAsync();
        var context = argument == "system" ? null : new Dictionary<string, string> { ["system"] = "alps" };
        var result = await mcp.Client.CompleteAsync(new CompleteRequestParams
        {
            Ref = new PromptReference { Name = "submit_and_monitor_job" },
            Argument = new Argument { Name = argument, Value = typed },
            Context = context is null ? null : new CompleteContext { Arguments = context },
        });
        Assert.Equal(expected, result.Completion.Values);
    }

    [Fact]
    public async Task Completion_offers_job_ids_and_paths()
    {
        var hpc = new FakeHpc();
        hpc.FilesByPath["/home/fireuser/"] = "";
        hpc.FilesByPath["/home/fireuser/run.sh"] = "#!/bin/bash\n";
        hpc.FilesByPath["/home/fireuser/results/"] = "";
        await using var mcp = await StartAsync(hpc);
        var submitted = await mcp.CallAsync("submit_job", new { system = "alps", script = "#!/bin/bash\n", working_directory = "/home/fireuser" });
        var job = submitted.StructuredContent!.Value.GetProperty("jobId").GetString()!;
        var context = new CompleteContext { Arguments = new Dictionary<string, string> { ["system"] = "alps" } };

        var ids = await mcp.Client.CompleteAsync(new CompleteRequestParams
        {
            Ref = new ResourceTemplateReference { Uri = "firecrest://{system}/jobs/{id}/stdout" }, Argument = new Argument { Name = "id", Value = "" }, Context = context,
        });
        Assert.Equal([job], ids.Completion.Values);

        var paths = await mcp.Client.CompleteAsync(new CompleteRequestParams
        {
            Ref = new PromptReference { Name = "explore_path" }, Argument = new Argument { Name = "path", Value = "/home/fireuser/r" }, Context = context,
        });
        Assert.Equal(["/home/fireuser/results/", "/home/fireuser/run.sh"], paths.Completion.Values);
    }

#pragma warning disable MCP9005 // logging is deprecated from protocol 2026-07-28 on; today's hosts use it
    [Fact]
    public async Task Log_notifications_follow_the_level_the_client_set()
    {
        // logging/setLevel exists up to protocol 2025-11-25 (later ones carry the level per request).
        await using var mcp = await StartAsync(protocolVersion: "2025-11-25");
        var messages = new List<LoggingMessageNotificationParams>();
        await using var registration = mcp.Client.RegisterNotificationHandler(NotificationMethods.LoggingMessageNotification, (n, _) =>
        {
            lock (messages) messages.Add(JsonSerializer.Deserialize<LoggingMessageNotificationParams>(n.Params!.ToJsonString())!);
            return ValueTask.CompletedTask;
        });

        await mcp.CallAsync("list_systems");
        Assert.Empty(Snapshot()); // nothing unless asked

        await mcp.Client.SetLoggingLevelAsync(LoggingLevel.Info);
        await mcp.CallAsync("list_systems");
        await mcp.CallAsync("read_file", new { system = "alps", path = "/home/none", lines = 0 });
        await WaitUntilAsync(() => Snapshot().Count >= 2);
        var info = Snapshot();
        Assert.Contains(info, m => m.Level == LoggingLevel.Info && m.Data.GetString()!.StartsWith("list_systems succeeded", StringComparison.Ordinal));
        Assert.Contains(info, m => m.Level == LoggingLevel.Warning && m.Data.GetString()!.Contains("'lines'", StringComparison.Ordinal));
        Assert.DoesNotContain(info, m => m.Level == LoggingLevel.Debug);

        lock (messages) messages.Clear();
        await mcp.Client.SetLoggingLevelAsync(LoggingLevel.Debug);
        await mcp.CallAsync("list_systems");
        await WaitUntilAsync(() => Snapshot().Count >= 2);
        Assert.Contains(Snapshot(), m => m.Level == LoggingLevel.Debug && m.Data.GetString()!.StartsWith("list_systems called", StringComparison.Ordinal));

        List<LoggingMessageNotificationParams> Snapshot() { lock (messages) return messages.ToList(); }
    }
#pragma warning restore MCP9005

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Notifications travel on their own; the answer can arrive first. Bounded, not a timing assumption.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(10, cts.Token);
    }

    private static void AssertPortable(string where, JsonElement schema)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True or JsonValueKind.False:
                Assert.Fail($"{where}: a bare boolean schema");
                break;
            case JsonValueKind.Object:
                if (schema.TryGetProperty("type", out var type))
                    Assert.True(type.ValueKind == JsonValueKind.String, $"{where}: type is {type}");
                else
                    Assert.True(schema.TryGetProperty("anyOf", out _) || schema.TryGetProperty("$ref", out _) || schema.TryGetProperty("enum", out _),
                        $"{where}: an untyped schema {schema}");
                foreach (var p in schema.EnumerateObject())
                {
                    if (p.Name is "properties" or "$defs")
                        foreach (var child in p.Value.EnumerateObject()) AssertPortable($"{where}.{child.Name}", child.Value);
                    else if (p.Name is "items" or "not")
                        AssertPortable($"{where}.{p.Name}", p.Value);
                    else if (p.Name is "additionalProperties" && p.Value.ValueKind == JsonValueKind.Object)
                        AssertPortable($"{where}.{p.Name}", p.Value);
                    else if (p.Name is "anyOf" or "oneOf" or "allOf")
                        foreach (var (b, i) in p.Value.EnumerateArray().Select((b, i) => (b, i))) AssertPortable($"{where}.{p.Name}[{i}]", b);
                }
                break;
        }
    }
}
