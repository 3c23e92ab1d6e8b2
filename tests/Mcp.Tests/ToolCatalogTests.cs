using Firecrest.Mcp.Tests.Infrastructure;

namespace Firecrest.Mcp.Tests;

public sealed class ToolCatalogTests
{
    private static readonly string[] AllTools =
    [
        "list_systems", "get_system_status", "list_partitions", "get_user_info", "submit_job", "list_jobs", "get_job", "wait_for_job",
        "cancel_job", "get_job_output", "list_directory", "read_file", "write_file", "stat_path", "checksum", "make_directory",
        "remove_path", "move_path", "copy_path", "upload_file", "download_file",
    ];

    [Fact]
    public async Task Every_tool_is_listed_with_descriptions_on_it_and_every_parameter_and_hints()
    {
        await using var mcp = await InMemoryMcp.StartAsync(new FakeHpc());
        var tools = await mcp.Client.ListToolsAsync();
        var names = tools.Select(t => t.Name).ToHashSet();
        foreach (var name in AllTools) Assert.Contains(name, names);
        Assert.DoesNotContain("run_command", names);
        foreach (var tool in tools.Select(t => t.ProtocolTool))
        {
            Assert.True(tool.Description?.Length > 40, $"{tool.Name} has a short description");
            Assert.NotNull(tool.Annotations?.ReadOnlyHint);
            Assert.NotNull(tool.Annotations?.DestructiveHint);
            Assert.NotNull(tool.Annotations?.IdempotentHint);
            Assert.NotNull(tool.OutputSchema);
            foreach (var p in tool.InputSchema.GetProperty("properties").EnumerateObject())
                Assert.True(p.Value.TryGetProperty("description", out var d) && d.GetString()!.Length > 5, $"{tool.Name}.{p.Name} has no description");
        }
    }

    [Fact]
    public void Every_tool_class_of_the_assembly_is_named_in_the_tool_list()
    {
        // The list replaces an assembly scan (a natively compiled server keeps only the classes it names).
        var declared = typeof(FirecrestMcp).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(ModelContextProtocol.Server.McpServerToolTypeAttribute), false).Length > 0)
            .Select(t => t.FullName).Order().ToList();
        Assert.NotEmpty(declared);
        Assert.Equal(declared, FirecrestMcp.ToolTypes.Select(t => t.Type.FullName).Order().ToList());
    }

    [Fact]
    public async Task Output_schemas_describe_properties_from_the_documentation_of_engine_and_tool_types()
    {
        // Descriptions come from generated metadata (no reflection resolver), for tool records and engine models alike.
        await using var mcp = await InMemoryMcp.StartAsync(new FakeHpc());
        var tools = (await mcp.Client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);
        var submitted = tools["submit_job"].OutputSchema!.Value.GetProperty("properties");
        Assert.Contains("job", submitted.GetProperty("jobId").GetProperty("description").GetString(), StringComparison.OrdinalIgnoreCase);
        var info = tools["get_user_info"].OutputSchema!.Value.GetProperty("properties");
        Assert.True(info.GetProperty("user").TryGetProperty("description", out var d) && d.GetString()!.Length > 5, info.GetProperty("user").GetRawText());
    }

    [Fact]
    public async Task Read_only_mode_lists_only_read_only_tools()
    {
        await using var mcp = await InMemoryMcp.StartAsync(new FakeHpc(), new McpToolOptions { ReadOnly = true, LocalFiles = true, AllowCommands = true });
        var tools = (await mcp.Client.ListToolsAsync()).Select(t => t.ProtocolTool).ToList();
        Assert.All(tools, t => Assert.True(t.Annotations!.ReadOnlyHint));
        var names = tools.Select(t => t.Name).ToList();
        Assert.Contains("read_file", names);
        Assert.Contains("wait_for_job", names);
        Assert.DoesNotContain("submit_job", names);
        Assert.DoesNotContain("remove_path", names);
        Assert.DoesNotContain("run_command", names);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => mcp.CallAsync("remove_path", new { system = "alps", path = "/home/u/x" }));
        Assert.Contains("remove_path", refused.Message);
    }

    [Fact]
    public async Task Run_command_exists_only_when_enabled()
    {
        await using var off = await InMemoryMcp.StartAsync(new FakeHpc(), new McpToolOptions());
        Assert.DoesNotContain("run_command", (await off.Client.ListToolsAsync()).Select(t => t.Name));
        Assert.DoesNotContain("upload_file", (await off.Client.ListToolsAsync()).Select(t => t.Name));
        await using var on = await InMemoryMcp.StartAsync(new FakeHpc(), new McpToolOptions { AllowCommands = true });
        var tool = (await on.Client.ListToolsAsync()).Single(t => t.Name == "run_command").ProtocolTool;
        Assert.True(tool.Annotations!.DestructiveHint);
    }

    [Fact]
    public async Task Resources_and_prompts_are_offered()
    {
        await using var mcp = await InMemoryMcp.StartAsync(new FakeHpc());
        var templates = (await mcp.Client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToList();
        Assert.Contains("firecrest://{system}/jobs/{id}/stdout", templates);
        Assert.Contains("firecrest://{system}/jobs/{id}/stderr", templates);
        Assert.Contains("firecrest://{system}/jobs/{id}/script", templates);
        var prompts = (await mcp.Client.ListPromptsAsync()).Select(p => p.Name).ToList();
        Assert.Contains("submit_and_monitor_job", prompts);
        Assert.Contains("diagnose_failed_job", prompts);
    }
}
