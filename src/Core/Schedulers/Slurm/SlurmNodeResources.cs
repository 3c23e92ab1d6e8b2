using System.Text.RegularExpressions;
using Firecrest.Core.Models;

namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>Reads <c>sinfo -N -O</c> lines of <see cref="SlurmCliCommands.NodeResourcesFormat"/> into <see cref="NodeResources"/>.</summary>
public static partial class SlurmNodeResources
{
    /// <summary>One entry per node (sinfo lists a node once per partition; the partitions are gathered, <c>*</c> marks dropped).</summary>
    public static IReadOnlyList<NodeResources> Parse(string stdout)
    {
        var nodes = new List<NodeResources>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.TrimEnd('\r').Split('|').Select(x => x.Trim()).ToArray();
            if (f.Length < 8 || f[0].Length == 0) continue;
            var partition = SchedulerText.NullIfPlaceholder(f[5])?.TrimEnd('*');
            var index = nodes.FindIndex(n => n.Name == f[0]);
            if (index >= 0)
            {
                if (partition is not null && !nodes[index].Partitions.Contains(partition))
                    nodes[index] = nodes[index] with { Partitions = [.. nodes[index].Partitions, partition] };
                continue;
            }
            // CPUsState: allocated/idle/other/total.
            var cpus = f[1].Split('/');
            int? Cpu(int i) => cpus.Length == 4 ? SchedulerText.ParseInt(cpus[i]) : null;
            var gres = SchedulerText.NullIfPlaceholder(f[2]);
            nodes.Add(new NodeResources(f[0], SchedulerText.NullIfPlaceholder(f[4]), partition is null ? [] : [partition], Cpu(3), Cpu(0), Cpu(1),
                SchedulerText.ParseLong(f[6]), SchedulerText.ParseLong(f[7]), Gpus(gres), Gpus(SchedulerText.NullIfPlaceholder(f[3])), gres));
        }
        return nodes;
    }

    /// <summary>
    /// The GPU count of a gres list: <c>gpu:4</c>, <c>gpu:a100:2(S:0-1)</c>, <c>gpu:a100:2(IDX:0-1),gpu:v100:1</c> add up
    /// their counts (only <c>gpu</c> entries count).
    /// </summary>
    public static int Gpus(string? gres)
    {
        if (string.IsNullOrEmpty(gres)) return 0;
        var total = 0;
        foreach (Match m in GpuEntry().Matches(gres))
            if (int.TryParse(m.Groups[1].Value, out var n)) total += n;
        return total;
    }

    // gpu[:type]:count, the count followed by '(' or ',' or the end; entries are split at commas outside parentheses.
    [GeneratedRegex(@"(?:^|,)gpu(?::[^:,(]+)?:(\d+)(?=\(|,|\z)")]
    private static partial Regex GpuEntry();
}
