namespace Firecrest.Mcp.Contract;

/// <summary>The <c>instructions</c> the server gives a host at initialization (hosts put them in the model's context).</summary>
public static class ServerInstructions
{
    /// <summary>How to use the tools together, in the order a session usually needs them.</summary>
    public const string Text =
        "These tools use HPC clusters through FirecREST as the signed-in cluster user. Start with list_systems: every other tool needs a " +
        "system name from it. get_user_info gives the home directory and the accounts a job may be charged to; list_partitions the queues. " +
        "To run work, write a batch script (first line '#!/bin/bash', scheduler options as '#SBATCH' lines) and call submit_job with an " +
        "absolute working directory; then wait_for_job (it returns when the job ends or its timeout passes; call it again if the job is " +
        "still pending or running) and get_job_output. Files: list_directory, read_file, write_file, stat_path; remove_path, move_path and " +
        "copy_path change or overwrite data. Paths are absolute paths on the cluster. An error result says what to change; only errors that " +
        "say so are worth retrying unchanged.";
}
