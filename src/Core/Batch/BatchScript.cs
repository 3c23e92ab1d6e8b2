using System.Globalization;
using System.Text;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Batch;

/// <summary>Turns a job of a run file into a <see cref="JobDescription"/>: resources become scheduler directives in the script.</summary>
public static class BatchScript
{
    /// <summary>Scheduler directives for <paramref name="resources"/>: <c>#SBATCH …</c> for Slurm, <c>#PBS -l …</c> for PBS.</summary>
    /// <param name="resources">The job's resources (partition is not a directive: it goes in the job description).</param>
    /// <param name="schedulerType"><c>slurm</c> or <c>pbs</c>.</param>
    public static IReadOnlyList<string> Directives(BatchResources resources, string schedulerType) =>
        string.Equals(schedulerType, "pbs", StringComparison.OrdinalIgnoreCase) ? PbsDirectives(resources) : SlurmDirectives(resources);

    /// <summary>The job description submitted for <paramref name="job"/> with the given dependency (<c>afterok:1:2</c> or null).</summary>
    public static JobDescription Describe(BatchJobDefinition job, string schedulerType, string? dependency, string? runName = null)
    {
        var directives = Directives(job.Resources, schedulerType);
        var description = new JobDescription
        {
            Name = runName is null ? job.Name : $"{runName}.{job.Name}",
            Account = job.Account,
            Partition = job.Resources.Partition,
            WorkingDirectory = job.WorkingDirectory,
            Env = job.Env.Count == 0 ? null : new Dictionary<string, string>(job.Env),
            Dependency = dependency,
        };
        if (job.RemoteScript is not null && directives.Count == 0) description.ScriptPath = job.RemoteScript;
        else if (job.RemoteScript is not null) description.Script = WithDirectives("#!/bin/bash\nexec bash " + ShellQuote.Quote(job.RemoteScript) + "\n", directives);
        else description.Script = WithDirectives(job.Script ?? "", directives);
        return description;
    }

    /// <summary>Puts <paramref name="directives"/> after the script's <c>#!</c> line (adding <c>#!/bin/bash</c> when there is none).</summary>
    public static string WithDirectives(string script, IReadOnlyList<string> directives)
    {
        var text = script.Replace("\r\n", "\n");
        string shebang, body;
        if (text.StartsWith("#!", StringComparison.Ordinal))
        {
            var end = text.IndexOf('\n');
            shebang = end < 0 ? text : text[..end];
            body = end < 0 ? "" : text[(end + 1)..];
        }
        else
        {
            shebang = "#!/bin/bash";
            body = text;
        }
        var sb = new StringBuilder(shebang).Append('\n');
        foreach (var d in directives) sb.Append(d).Append('\n');
        sb.Append(body);
        if (!body.EndsWith('\n')) sb.Append('\n');
        return sb.ToString();
    }

    private static List<string> SlurmDirectives(BatchResources r)
    {
        var lines = new List<string>();
        void Add(string option, object? value)
        {
            if (value is not null) lines.Add($"#SBATCH --{option}={Convert.ToString(value, CultureInfo.InvariantCulture)}");
        }
        Add("nodes", r.Nodes);
        Add("ntasks", r.Tasks);
        Add("ntasks-per-node", r.TasksPerNode);
        Add("cpus-per-task", r.CpusPerTask);
        Add("time", r.Time);
        Add("mem", r.Memory);
        Add("gres", r.Gres);
        Add("constraint", r.Constraint);
        Add("qos", r.Qos);
        lines.AddRange(r.Extra.Select(e => "#SBATCH " + e));
        return lines;
    }

    private static List<string> PbsDirectives(BatchResources r)
    {
        var lines = new List<string>();
        if (r.Nodes is not null || r.Tasks is not null || r.TasksPerNode is not null || r.CpusPerTask is not null)
        {
            var nodes = r.Nodes ?? 1;
            var perNode = r.TasksPerNode ?? (r.Tasks is { } t ? (t + nodes - 1) / nodes : 1);
            var cpus = perNode * (r.CpusPerTask ?? 1);
            lines.Add(FormattableString.Invariant($"#PBS -l select={nodes}:ncpus={cpus}:mpiprocs={perNode}"));
        }
        if (r.Time is not null) lines.Add("#PBS -l walltime=" + PbsWalltime(r.Time));
        if (r.Memory is not null) lines.Add("#PBS -l mem=" + PbsMemory(r.Memory));
        if (r.Gres is not null && r.Gres.StartsWith("gpu:", StringComparison.OrdinalIgnoreCase)) lines.Add("#PBS -l ngpus=" + r.Gres[4..]);
        if (r.Constraint is not null) lines.Add("#PBS -l " + r.Constraint);
        lines.AddRange(r.Extra.Select(e => "#PBS " + e));
        return lines;
    }

    /// <summary>Slurm time forms (minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]]) as PBS <c>HH:MM:SS</c>.</summary>
    public static string PbsWalltime(string time)
    {
        long days = 0;
        var rest = time;
        var dash = time.IndexOf('-');
        if (dash > 0)
        {
            days = long.Parse(time[..dash], CultureInfo.InvariantCulture);
            rest = time[(dash + 1)..];
        }
        var parts = rest.Split(':').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        long seconds = dash > 0
            ? parts.Length switch { 1 => parts[0] * 3600, 2 => parts[0] * 3600 + parts[1] * 60, _ => parts[0] * 3600 + parts[1] * 60 + parts[2] }
            : parts.Length switch { 1 => parts[0] * 60, 2 => parts[0] * 60 + parts[1], _ => parts[0] * 3600 + parts[1] * 60 + parts[2] };
        seconds += days * 86400;
        return FormattableString.Invariant($"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }

    private static string PbsMemory(string memory)
    {
        var m = memory.ToLowerInvariant().TrimEnd('b');
        return char.IsDigit(m[^1]) ? m + "mb" : m + "b";
    }
}
