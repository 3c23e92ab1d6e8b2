namespace Firecrest.Core.Batch;

/// <summary>Dependency graph algorithms on the jobs of a run file.</summary>
public static class BatchGraph
{
    /// <summary>
    /// Jobs ordered so that each comes after everything it depends on; among jobs that are ready together the
    /// file order is kept. Dependencies on names not in <paramref name="jobs"/> are ignored.
    /// </summary>
    /// <exception cref="HpcException">The jobs contain a cycle (<see cref="HpcErrorKind.InvalidArgument"/>).</exception>
    public static IReadOnlyList<BatchJobDefinition> Order(IReadOnlyList<BatchJobDefinition> jobs)
    {
        var names = jobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<BatchJobDefinition>(jobs.Count);
        while (order.Count < jobs.Count)
        {
            var ready = jobs.FirstOrDefault(j => !done.Contains(j.Name) && j.DependsOn.All(d => done.Contains(d) || !names.Contains(d)))
                ?? throw new HpcException(HpcErrorKind.InvalidArgument, "The jobs' dependencies contain a cycle: " + string.Join(" → ", FindCycle(jobs) ?? []));
            done.Add(ready.Name);
            order.Add(ready);
        }
        return order;
    }

    /// <summary>A cycle as job names with the first repeated at the end (<c>A, B, A</c>), or null when there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyList<BatchJobDefinition> jobs)
    {
        var byName = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var path = new List<string>();
        foreach (var job in jobs)
        {
            var cycle = Visit(job.Name);
            if (cycle is not null) return cycle;
        }
        return null;

        List<string>? Visit(string name)
        {
            if (state.GetValueOrDefault(name) == 2) return null;
            if (state.GetValueOrDefault(name) == 1)
            {
                var start = path.IndexOf(name);
                return [.. path.Skip(start), name];
            }
            state[name] = 1;
            path.Add(name);
            foreach (var dep in byName[name].DependsOn)
            {
                if (!byName.ContainsKey(dep)) continue;
                var cycle = Visit(dep);
                if (cycle is not null) return cycle;
            }
            path.RemoveAt(path.Count - 1);
            state[name] = 2;
            return null;
        }
    }

    /// <summary>Every job that depends on <paramref name="name"/>, directly or through others.</summary>
    public static IReadOnlySet<string> DependentsOf(IReadOnlyList<BatchJobDefinition> jobs, string name)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([name]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var j in jobs.Where(j => j.DependsOn.Contains(current) && result.Add(j.Name))) queue.Enqueue(j.Name);
        }
        return result;
    }
}
