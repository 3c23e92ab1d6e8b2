using System.Text;

namespace Firecrest.Core.Batch;

/// <summary>What a run would do, in submission order (for <c>-WhatIf</c> and the MCP <c>run_batch</c> answer).</summary>
/// <param name="System">System the jobs go to.</param>
/// <param name="StateFile">State file that would be written, or null.</param>
/// <param name="Steps">One step per job, dependencies first.</param>
public sealed record BatchPlan(string System, string? StateFile, IReadOnlyList<BatchPlanStep> Steps)
{
    /// <summary>One line per step, e.g. <c>3. D after B, C: upload 0, download 1, directives --nodes=1 --time=5</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder($"Batch run on '{System}' ({Steps.Count} jobs)").Append('\n');
        foreach (var s in Steps)
        {
            sb.Append(s.Order).Append(". ").Append(s.Job);
            if (s.DependsOn.Count > 0) sb.Append(" after ").Append(string.Join(", ", s.DependsOn));
            if (s.AlreadyCompleted) { sb.Append(": completed earlier (").Append(s.PreviousJobId).Append("), not submitted again\n"); continue; }
            if (s.PreviousJobId is not null) sb.Append(": re-attach to job ").Append(s.PreviousJobId).Append('\n');
            else sb.Append(": submit ").Append(s.Script).Append('\n');
            foreach (var i in s.Inputs) sb.Append("   upload ").Append(i.Local).Append(" → ").Append(i.Remote).Append('\n');
            foreach (var d in s.Directives) sb.Append("   ").Append(d).Append('\n');
            foreach (var o in s.Outputs) sb.Append("   download ").Append(o.Remote).Append(" → ").Append(o.Local).Append('\n');
            if (s.Retries > 0) sb.Append("   retries: ").Append(s.Retries).Append('\n');
        }
        return sb.ToString();
    }
}

/// <summary>One job of a <see cref="BatchPlan"/>.</summary>
/// <param name="Order">1-based submission order.</param>
/// <param name="Job">Job name.</param>
/// <param name="DependsOn">Jobs it waits for (afterok).</param>
/// <param name="Script">Where the script comes from: <c>inline</c>, the local file or the remote path.</param>
/// <param name="WorkingDirectory">Remote working directory.</param>
/// <param name="Directives">Scheduler directives that will be put in the script.</param>
/// <param name="Inputs">Uploads before submission.</param>
/// <param name="Outputs">Downloads after completion.</param>
/// <param name="Retries">Retries allowed.</param>
/// <param name="AlreadyCompleted">True when resuming and the job completed in an earlier run.</param>
/// <param name="PreviousJobId">Id from an earlier run (completed, or still running and re-attached).</param>
public sealed record BatchPlanStep(
    int Order, string Job, IReadOnlyList<string> DependsOn, string Script, string WorkingDirectory, IReadOnlyList<string> Directives,
    IReadOnlyList<BatchFileMapping> Inputs, IReadOnlyList<BatchFileMapping> Outputs, int Retries, bool AlreadyCompleted, string? PreviousJobId);
