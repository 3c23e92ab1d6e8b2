using System.ComponentModel;
using Firecrest.Mcp.Tools;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Resources;

/// <summary>Job scripts and outputs as MCP resources, e.g. <c>firecrest://daint/jobs/123/stdout</c>.</summary>
[McpServerResourceType]
public sealed class JobResources(IHpcOperationsAccessor operations, ToolGuard guard, TimeProvider time)
{
    /// <summary>The end of a job's standard output.</summary>
    [McpServerResource(UriTemplate = "firecrest://{system}/jobs/{id}/stdout", Name = "job_stdout", MimeType = "text/plain")]
    [Description("The last part (size-capped) of a job's standard output.")]
    public Task<string> Stdout(string system, string id, CancellationToken cancellationToken) => OutputAsync(system, id, "stdout", cancellationToken);

    /// <summary>The end of a job's standard error.</summary>
    [McpServerResource(UriTemplate = "firecrest://{system}/jobs/{id}/stderr", Name = "job_stderr", MimeType = "text/plain")]
    [Description("The last part (size-capped) of a job's standard error.")]
    public Task<string> Stderr(string system, string id, CancellationToken cancellationToken) => OutputAsync(system, id, "stderr", cancellationToken);

    /// <summary>The batch script of a job.</summary>
    [McpServerResource(UriTemplate = "firecrest://{system}/jobs/{id}/script", Name = "job_script", MimeType = "text/x-shellscript")]
    [Description("The batch script a job was submitted with (while the scheduler still knows the job).")]
    public async Task<string> Script(string system, string id, CancellationToken cancellationToken)
    {
        guard.System(system);
        ToolGuard.JobId(id);
        var meta = (await operations.Get().Compute.GetJobMetadataAsync(system, ToolGuard.JobId(id, "id"), cancellationToken)).FirstOrDefault();
        return meta?.Script ?? "";
    }

    private async Task<string> OutputAsync(string system, string id, string stream, CancellationToken cancellationToken)
    {
        guard.System(system);
        ToolGuard.JobId(id);
        var path = await new JobsTools(operations, guard, time).OutputPathAsync(system, id, stream, cancellationToken);
        var max = guard.Options.MaxOutputBytes;
        var tail = await operations.Get().Files.TailAsync(system, guard.Path(path), bytes: max, cancellationToken: cancellationToken);
        return tail.Content;
    }
}
