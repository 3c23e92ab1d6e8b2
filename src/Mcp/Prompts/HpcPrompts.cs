using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Prompts;

/// <summary>Prompts that walk a model through common HPC tasks with the tools.</summary>
[McpServerPromptType]
public sealed class HpcPrompts
{
    /// <summary>Submit a job and follow it to the end.</summary>
    [McpServerPrompt(Name = "submit_and_monitor_job")]
    [Description("Step by step: write a job script, submit it, wait for it and read its output.")]
    public static string SubmitAndMonitor(
        [Description("System name from list_systems.")] string system,
        [Description("What the job should do, in plain words or as commands.")] string task,
        [Description("Optional partition (queue) from list_partitions.")] string? partition = null,
        [Description("Optional account (project) to charge, from get_user_info.")] string? account = null) =>
        $"""
        Run this on the HPC system '{system}' as a batch job: {task}
        {(string.IsNullOrWhiteSpace(partition) ? "" : $"Use partition '{partition}'. ")}{(string.IsNullOrWhiteSpace(account) ? "" : $"Charge account '{account}'.")}

        1. Call get_user_info (system '{system}') to learn the home directory and the accounts; call list_partitions if a partition matters.
        2. Write a bash script starting with '#!/bin/bash', with '#SBATCH --time=00:10:00' and '#SBATCH --ntasks=1' (adjust if the task needs more), then the commands.
        3. Call submit_job with the script and a working_directory under the home directory. Note the job id (a string).
        4. Call wait_for_job with that job id; if it returns finished=false, call it again.
        5. Call get_job_output (stdout, then stderr if the state is not 'completed') and report the result.
        If the job fails, read stderr and get_job before changing the script and submitting again.
        """;

    /// <summary>Find out why a job failed.</summary>
    [McpServerPrompt(Name = "diagnose_failed_job")]
    [Description("Step by step: find out why a job failed, was cancelled or ran out of time, and what to change.")]
    public static string DiagnoseFailedJob(
        [Description("System name from list_systems.")] string system,
        [Description("The id of the job that failed.")] string job_id) =>
        $"""
        Find out why job {job_id} on the HPC system '{system}' did not succeed, and say what to change.

        1. Call get_job (system '{system}', job_id "{job_id}"): look at the state, the exit code and the reason.
           'timeout' means the job hit its time limit (#SBATCH --time); 'out_of_memory' or exit code 137 means it needs more memory;
           'cancelled' means someone or something cancelled it.
        2. Call get_job_output with stream "stderr", then "stdout", and read the last lines for error messages.
        3. Read the job script (the resource firecrest://{system}/jobs/{job_id}/script, or get_job's script) and check paths with stat_path.
        4. Explain the cause in one or two sentences and propose a corrected script or command.
        """;

    /// <summary>Look around a directory or file.</summary>
    [McpServerPrompt(Name = "explore_path")]
    [Description("Step by step: see what a directory or file on the cluster holds and summarise it.")]
    public static string ExplorePath(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute path on the cluster, e.g. the home directory from get_user_info.")] string path) =>
        $"""
        Describe what '{path}' on the HPC system '{system}' holds.

        1. Call stat_path (system '{system}', path "{path}") to see whether it is a file or a directory.
        2. For a directory call list_directory; for a text file call read_file (mode "head", then "tail" if it is long).
        3. Summarise in a few sentences: what is there, how large, what looks like input, output or job scripts.
        """;
}
