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
        var (exportList, passed) = Export(job.Env);
        var sb = new StringBuilder("sbatch --export=").Append(ShellQuote.Quote(exportList));
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
        return new RemoteCommand(sb.ToString())
        {
            Stdin = hasPath ? null : job.Script,
            Idempotent = false,
            Environment = passed.Count > 0 ? passed : null,
        };
    }

    /// <summary>
    /// The <c>--export</c> list, and the variables whose values travel in sbatch's own environment instead. Slurm
    /// splits the list at commas and reads quotes in it, so a value with <c>,</c>, a quote or a control character
    /// would leak into other variables (<c>A=x,B=y</c> sets B): such a variable is named in the list without a value
    /// and passed as <c>NAME='value'</c> before sbatch (quoted by <see cref="ShellQuote.Quote"/>), which exports it to
    /// the job unchanged. Variables that steer sbatch or the shell themselves (PATH, LD_*, SBATCH_*, SLURM_*, …) cannot
    /// go that way and are refused with such values.
    /// </summary>
    /// <exception cref="HpcException">InvalidArgument: a bad name, or a value that cannot be passed safely.</exception>
    public static (string List, IReadOnlyDictionary<string, string> Passed) Export(IReadOnlyDictionary<string, string>? env)
    {
        env ??= DefaultEnvironment;
        var sb = new StringBuilder("ALL");
        var passed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in env)
        {
            CheckName(k);
            if (IsListSafe(v))
            {
                sb.Append(',').Append(k).Append('=').Append(v);
                continue;
            }
            if (SteersTheSubmission(k))
                throw new HpcException(HpcErrorKind.InvalidArgument,
                    $"Environment variable '{k}': its value contains a comma, quote or control character, which cannot be passed safely for a variable that also affects sbatch itself.");
            sb.Append(',').Append(k);
            passed[k] = v;
        }
        return (sb.ToString(), passed);
    }

    /// <summary>True when Slurm's comma-separated <c>--export</c> list keeps <paramref name="value"/> intact.</summary>
    public static bool IsListSafe(string value) => !value.Any(c => c is ',' or '\'' or '"' || char.IsControl(c));

    private static bool SteersTheSubmission(string name) =>
        name is "PATH" or "IFS" or "ENV" or "BASH_ENV" or "SHELLOPTS" or "BASHOPTS" or "HOME"
        || name.StartsWith("LD_", StringComparison.Ordinal)
        || name.StartsWith("SBATCH_", StringComparison.Ordinal)
        || name.StartsWith("SLURM_", StringComparison.Ordinal)
        || name.StartsWith("BASH_FUNC_", StringComparison.Ordinal);

    private static void CheckName(string name)
    {
        if (!EnvName().IsMatch(name))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Invalid environment variable name: '{name}'.");
    }

    /// <summary>
    /// <c>ALL,K=V,…</c> for schedulers that take only such a list (PBS <c>qsub -v</c>); names must be shell identifiers
    /// and values must keep to <see cref="IsListSafe"/>, else InvalidArgument naming the variable.
    /// </summary>
    public static string ExportList(IReadOnlyDictionary<string, string>? env)
    {
        env ??= DefaultEnvironment;
        var sb = new StringBuilder("ALL");
        foreach (var (k, v) in env)
        {
            CheckName(k);
            if (!IsListSafe(v))
                throw new HpcException(HpcErrorKind.InvalidArgument, $"Environment variable '{k}': a comma, quote or control character in its value cannot be passed safely on this scheduler.");
            sb.Append(',').Append(k).Append('=').Append(v);
        }
        return sb.ToString();
    }

    /// <summary>Checks that every name is a shell identifier (InvalidArgument naming the first that is not).</summary>
    public static void CheckNames(IReadOnlyDictionary<string, string> env)
    {
        foreach (var k in env.Keys) CheckName(k);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
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
        return new RemoteCommand(sb.ToString()) { OutputLimit = SchedulerListing.OutputLimit };
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
        return new RemoteCommand(sb.ToString()) { OutputLimit = SchedulerListing.OutputLimit };
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

    /// <summary>
    /// <c>sacct --jobs='ID' --noheader --parsable2 --format='JobID,JobIDRaw,JobName,User,WorkDir,NodeList,SubmitLine'</c>:
    /// what locates the standard streams of a job before Slurm 24.05 (SubmitLine last: it may hold a <c>|</c>).
    /// </summary>
    public static RemoteCommand SacctSubmission(string jobId) =>
        new("sacct --jobs=" + ShellQuote.Quote(jobId) + " --noheader --parsable2 --format='JobID,JobIDRaw,JobName,User,WorkDir,NodeList,SubmitLine'");

    /// <summary><c>scontrol hold 'ID'</c> (a user's own hold; <c>scontrol release</c> undoes it).</summary>
    public static RemoteCommand Hold(string jobId) => new("scontrol hold " + ShellQuote.Quote(jobId)) { Idempotent = false };

    /// <summary><c>scontrol release 'ID'</c>.</summary>
    public static RemoteCommand Release(string jobId) => new("scontrol release " + ShellQuote.Quote(jobId)) { Idempotent = false };

    /// <summary>Accounting fields of <see cref="SlurmAccounting"/>, in order.</summary>
    public const string AccountingFormat = "JobID,State,ElapsedRaw,TimelimitRaw,AllocCPUS,NNodes,TotalCPU,MaxRSS,ReqMem,AllocTRES";

    /// <summary><c>sacct --jobs='ID' --noheader --parsable2 --format='…'</c>: resource use of the job and its steps.</summary>
    public static RemoteCommand SacctAccounting(string jobId) =>
        new("sacct --jobs=" + ShellQuote.Quote(jobId) + " --noheader --parsable2 --format=" + ShellQuote.Quote(AccountingFormat));

    /// <summary>Node resource fields of <see cref="SlurmNodeResources"/>, in order, <c>|</c>-separated.</summary>
    public const string NodeResourcesFormat = "NodeHost:|,CPUsState:|,Gres:|,GresUsed:|,StateLong:|,Partition:|,Memory:|,AllocMem:";

    /// <summary><c>sinfo -a -N --noheader -O '…'</c>: one line per node and partition.</summary>
    public static RemoteCommand NodeResources() =>
        new("sinfo -a -N --noheader -O " + ShellQuote.Quote(NodeResourcesFormat)) { OutputLimit = SchedulerListing.OutputLimit };

    /// <summary><c>scancel --verbose 'ID'</c>.</summary>
    public static RemoteCommand Cancel(string jobId) => new("scancel --verbose " + ShellQuote.Quote(jobId)) { Idempotent = false };

    /// <summary>
    /// <c>timeout N srun --jobid='ID' --overlap -- bash -c 'COMMAND'</c>: the user's command is one quoted word run
    /// by bash inside the job's allocation, so nothing of it reaches the login node's shell; <c>timeout</c> stops srun
    /// (and with it the step) after the cluster's command timeout.
    /// </summary>
    public static RemoteCommand Attach(string jobId, string command, double timeoutSeconds) =>
        new("timeout " + timeoutSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)
            + " srun --jobid=" + ShellQuote.Quote(jobId) + " --overlap -- bash -c " + ShellQuote.Quote(command)) { Idempotent = false };

    public static RemoteCommand Nodes() =>
        new("sinfo -a -N --noheader --format='%z|%c|%O|%e|%f|%N|%o|%n|%T|%R|%w|%v|%m|%C'") { OutputLimit = SchedulerListing.OutputLimit };

    public static RemoteCommand Partitions() => new("scontrol -a show -o partitions") { OutputLimit = SchedulerListing.OutputLimit };

    /// <summary>Reservations, times as epoch.</summary>
    public static RemoteCommand Reservations() => new(TimeFormat + "scontrol -a show -o reservations") { OutputLimit = SchedulerListing.OutputLimit };

    /// <summary><c>sacctmgr show assoc user='u' format=account -n --parsable2</c> (parsable: no 10-character truncation).</summary>
    public static RemoteCommand Associations(string user) => new("sacctmgr show assoc user=" + ShellQuote.Quote(user) + " format=account -n --parsable2");

    /// <summary><c>sacctmgr show user 'u' format=defaultaccount -n --parsable2</c>.</summary>
    public static RemoteCommand DefaultAccount(string user) => new("sacctmgr show user " + ShellQuote.Quote(user) + " format=defaultaccount -n --parsable2");

    /// <summary><c>scontrol ping</c>.</summary>
    public static RemoteCommand Ping() => new("scontrol ping");
}
