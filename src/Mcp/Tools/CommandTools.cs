using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>
/// An arbitrary shell command as a short job. Registered only when <see cref="McpToolOptions.AllowCommands"/> is set
/// (<c>--allow-commands</c>): by default no tool runs free-form commands.
/// </summary>
[McpServerToolType]
public sealed class CommandTools(IHpcOperationsAccessor operations, ToolGuard guard, TimeProvider time)
{
    /// <summary>Result of <c>run_command</c>.</summary>
    /// <param name="JobId">The job that ran the command.</param>
    /// <param name="State">Its final state.</param>
    /// <param name="ExitCode">Exit code of the command, when known.</param>
    /// <param name="Output">What it printed (stdout and stderr, capped).</param>
    /// <param name="Truncated">True when the output was cut at the size cap.</param>
    public sealed record CommandResult(string JobId, string State, int? ExitCode, string Output, bool Truncated);

    /// <summary>Runs a command as a job and returns its output.</summary>
    [McpServerTool(Name = "run_command", Title = "Run command", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(CommandResult))]
    [Description("Runs a shell command on a compute node as a short batch job, waits for it and returns what it printed (stdout and stderr together, capped). " +
        "The command runs with your cluster user's rights and can change or delete files. Prefer the specific tools when one fits.")]
    public async Task<CallToolResult> RunCommand(
        [Description("System name from list_systems.")] string system,
        [Description("The bash command line to run, e.g. 'module avail 2>&1 | head'.")] string command,
        [Description("Absolute directory to run in; the job's output file is written there too.")] string working_directory,
        RequestContext<CallToolRequestParams> context,
        [Description("Longest time to wait in seconds (1 to 3600, default 300).")][Range(1, 3600)] int timeout_seconds = 300,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); guard.Path(working_directory, "working_directory");
        if (string.IsNullOrWhiteSpace(command)) throw new McpException("The 'command' argument is empty.");
        if (timeout_seconds is < 1 or > 3600) throw new McpException("timeout_seconds must be between 1 and 3600.");
        var ops = operations.Get();
        var id = await ops.Compute.SubmitJobAsync(system, new JobDescription
        {
            Name = "mcp-command", WorkingDirectory = working_directory, Script = "#!/bin/bash\n" + command + "\n",
        }, cancellationToken: cancellationToken);
        var waited = await McpWaitProgress.WaitAsync(ops, time, context, "job", system, id,
            new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), factor: 1.5), TimeSpan.FromSeconds(timeout_seconds), cancellationToken);
        if (waited.TimedOut)
            throw new McpException($"The command (job {id}) did not finish in {timeout_seconds} s; it keeps running. Use wait_for_job and get_job_output with job_id \"{id}\", or cancel_job.");
        var job = waited.Job!;
        var path = await JobOutputLocator.LocateAsync(ops, system, JobId.Parse(id, "jobId"), standardError: false, cancellationToken);
        var output = (await ops.Files.TailAsync(system, guard.Path(path.Value, "standardOutput"), bytes: guard.Options.MaxOutputBytes + 1, cancellationToken: cancellationToken)).Content;
        var (text, truncated) = ToolResults.Cap(output, guard.Options.MaxOutputBytes, keepEnd: true);
        var result = new CommandResult(id, job.State.ToString().ToLowerInvariant(), job.EndedExitCode, text, truncated);
        return ToolResults.Of(result, $"job {id} {result.State}, exit code {job.EndedExitCode?.ToString() ?? "unknown"}:\n{text}");
    }
}
