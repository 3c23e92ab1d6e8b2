using System.Text;
using System.Text.RegularExpressions;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>Builds the Slurm command lines (sbatch, squeue, sacct, scancel, …); every value goes through <see cref="ShellQuote.Quote"/>.</summary>
public static partial class SlurmCliCommands
{
    /// <summary>The default environment of a job when none is given.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultEnvironment = new Dictionary<string, string> { ["F7T_version"] = "v2.0.0" };

    private const string TimeFormat = "SLURM_TIME_FORMAT='%s' ";

    /// <summary>
    /// <c>sbatch --export='ALL,K=V,…' --chdir='cwd' [--partition=…] … [--dependency=…] [-- 'script_path']</c>; the
    /// inline script goes on stdin. Not idempotent.
    /// </summary>
    public static RemoteCommand Submit(JobDescription job)
    {
        if (string.IsNullOrWhiteSpace(job.WorkingDirectory))
            throw new HpcException(HpcErrorKind.InvalidArgument, "The job's working directory is required.");
        var hasScript = !string.IsNullOrEmpty(job.Script);
        var hasPath = !string.IsNullOrEmpty(job.ScriptPath);
        if (hasScript == hasPath)
            throw new HpcException(HpcErrorKind.InvalidArgument, "Give exactly one of script and scriptPath.");
        var sb = new StringBuilder("sbatch --export=").Append(ShellQuote.Quote(ExportList(job.Env)));
        sb.Append(" --chdir=").Append(ShellQuote.Quote(job.WorkingDirectory));
        Option(sb, "--partition", job.Partition);
        Option(sb, "--reservation", job.Reservation);
        Option(sb, "--account", job.Account);
        Option(sb, "--job-name", job.Name);
        Option(sb, "--error", job.StandardError);
        Option(sb, "--output", job.StandardOutput);
        Option(sb, "--input", job.StandardInput);
        Option(sb, "--constraint", job.Constraints);
        Option(sb, "--dependency", job.Dependency);
        if (hasPath) sb.Append(" -- ").Append(ShellQuote.Quote(job.ScriptPath!));
        return new RemoteCommand(sb.ToString()) { Stdin = hasPath ? null : job.Script, Idempotent = false };
    }

    /// <summary><c>ALL,K=V,…</c>; names must be shell identifiers.</summary>
    public static string ExportList(IReadOnlyDictionary<string, string>? env)
    {
        env ??= DefaultEnvironment;
        var sb = new StringBuilder("ALL");
        foreach (var (k, v) in env)
        {
            if (!EnvName().IsMatch(k))
                throw new HpcException(HpcErrorKind.InvalidArgument, $"Invalid environment variable name: '{k}'.");
            sb.Append(',').Append(k).Append('=').Append(v);
        }
        return sb.ToString();
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();

    private static void Option(StringBuilder sb, string option, string? value)
    {
        if (!string.IsNullOrEmpty(value)) sb.Append(' ').Append(option).Append('=').Append(ShellQuote.Quote(value));
    }

    /// <summary>Maps a time window (1h, 8h, 24h, 3d, 7d; default 24h) to sacct's <c>now-…</c>.</summary>
    public static string StartTime(string? window) => (window ?? "24h") switch
    {
        "1h" => "now-1hour",
        "8h" => "now-8hours",
        "24h" => "now-24hours",
        "3d" => "now-3days",
        "7d" => "now-7days",
        _ => throw new HpcException(HpcErrorKind.InvalidArgument, $"Invalid time_window '{window}': use 1h, 8h, 24h, 3d or 7d."),
    };

    /// <summary>
    /// <c>SLURM_TIME_FORMAT='%s' sacct [--allusers] [--account=…] [--name=…] (--jobs=… | --starttime=now-…) --parsable2 --noheader --format='…'</c>.
    /// </summary>
    public static RemoteCommand Sacct(bool allUsers, string? account, string? name, string? jobId, string? timeWindow)
    {
        var sb = new StringBuilder(TimeFormat).Append("sacct");
        if (allUsers) sb.Append(" --allusers");
        Option(sb, "--account", account);
        Option(sb, "--name", name);
        if (jobId is not null) sb.Append(" --jobs=").Append(ShellQuote.Quote(jobId));
        else sb.Append(" --starttime=").Append(StartTime(timeWindow));
        sb.Append(" --parsable2 --noheader --format=").Append(ShellQuote.Quote(SlurmJobRows.SacctFormat));
        return new RemoteCommand(sb.ToString());
    }

    /// <summary><c>SLURM_TIME_FORMAT='%s' squeue [--user=…] [--account=…] [--name=…] [--jobs=…] --noheader --Format='…'</c>.</summary>
    public static RemoteCommand Squeue(string? user, string? account, string? name, string? jobId)
    {
        var sb = new StringBuilder(TimeFormat).Append("squeue");
        Option(sb, "--user", user);
        Option(sb, "--account", account);
        Option(sb, "--name", name);
        Option(sb, "--jobs", jobId);
        sb.Append(" --noheader --Format=").Append(ShellQuote.Quote(SlurmJobRows.SqueueFormat));
        return new RemoteCommand(sb.ToString());
    }

    /// <summary><c>SLURM_TIME_FORMAT='%s' scontrol show -o job 'ID'</c>.</summary>
    public static RemoteCommand ScontrolJob(string jobId) => new(TimeFormat + "scontrol show -o job " + ShellQuote.Quote(jobId));

    /// <summary><c>scontrol write batch_script 'ID' -</c>.</summary>
    public static RemoteCommand BatchScript(string jobId) => new("scontrol write batch_script " + ShellQuote.Quote(jobId) + " -");

    /// <summary><c>sacct --jobs='ID' --noheader --parsable2 --batch-script</c> (needs AccountingStoreFlags=job_script).</summary>
    public static RemoteCommand SacctBatchScript(string jobId) => new("sacct --jobs=" + ShellQuote.Quote(jobId) + " --noheader --parsable2 --batch-script");

    /// <summary><c>sacct --jobs='ID' --noheader --parsable2 --format='JobID,JobName,StdIn,StdOut,StdErr,WorkDir'</c> (Slurm ≥ 24.05).</summary>
    public static RemoteCommand SacctStreams(string jobId) =>
        new("sacct --jobs=" + ShellQuote.Quote(jobId) + " --noheader --parsable2 --format='JobID,JobName,StdIn,StdOut,StdErr,WorkDir'");

    /// <summary><c>scancel --verbose 'ID'</c>.</summary>
    public static RemoteCommand Cancel(string jobId) => new("scancel --verbose " + ShellQuote.Quote(jobId)) { Idempotent = false };

    /// <summary><c>srun --jobid='ID' --overlap COMMAND</c> (the user's command runs verbatim, as upstream).</summary>
    public static RemoteCommand Attach(string jobId, string command) =>
        new("srun --jobid=" + ShellQuote.Quote(jobId) + " --overlap " + command) { Idempotent = false };

    /// <summary>sinfo node listing.</summary>
    public static RemoteCommand Nodes() => new("sinfo -a -N --noheader --format='%z|%c|%O|%e|%f|%N|%o|%n|%T|%R|%w|%v|%m|%C'");

    /// <summary>Partitions.</summary>
    public static RemoteCommand Partitions() => new("scontrol -a show -o partitions");

    /// <summary>Reservations, times as epoch.</summary>
    public static RemoteCommand Reservations() => new(TimeFormat + "scontrol -a show -o reservations");

    /// <summary><c>sacctmgr show assoc user='u' format=account -n --parsable2</c> (parsable: no 10-character truncation).</summary>
    public static RemoteCommand Associations(string user) => new("sacctmgr show assoc user=" + ShellQuote.Quote(user) + " format=account -n --parsable2");

    /// <summary><c>sacctmgr show user 'u' format=defaultaccount -n --parsable2</c>.</summary>
    public static RemoteCommand DefaultAccount(string user) => new("sacctmgr show user " + ShellQuote.Quote(user) + " format=defaultaccount -n --parsable2");

    /// <summary><c>scontrol ping</c>.</summary>
    public static RemoteCommand Ping() => new("scontrol ping");
}
