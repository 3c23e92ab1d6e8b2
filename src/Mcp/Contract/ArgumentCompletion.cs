using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.Mcp.Tools;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Contract;

/// <summary>
/// <c>completion/complete</c> for the prompt and resource-template arguments named <c>system</c>, <c>partition</c>,
/// <c>account</c>, <c>job_id</c> (<c>id</c> in resource URIs) and <c>path</c>: the values the cluster has that start
/// with what the user typed. The other arguments already given (e.g. the system) narrow the search.
/// </summary>
public static class ArgumentCompletion
{
    /// <summary>Most values one answer carries (the protocol's limit is 100).</summary>
    public const int MaxValues = 100;

    /// <summary>The handler.</summary>
    public static async ValueTask<CompleteResult> CompleteAsync(RequestContext<CompleteRequestParams> context, CancellationToken cancellationToken)
    {
        var services = context.Services ?? throw new InvalidOperationException("no services");
        var request = context.Params;
        if (request is null) return Answer([]);
        var typed = request.Argument.Value ?? "";
        var given = request.Context?.Arguments ?? new Dictionary<string, string>();
        try
        {
            var values = await CandidatesAsync(services, request.Argument.Name, typed, given, cancellationToken);
            var prefix = request.Argument.Name == "path" && !typed.StartsWith('/') ? "" : typed;
            return Answer(values.Where(v => v.StartsWith(prefix, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList());
        }
        catch (HpcException)
        {
            // Completion is a convenience: a system that is down or a path that is not there offers nothing.
            return Answer([]);
        }
        catch (ModelContextProtocol.McpException)
        {
            return Answer([]);
        }
    }

    private static async Task<IEnumerable<string>> CandidatesAsync(IServiceProvider services, string argument, string typed,
        IDictionary<string, string> given, CancellationToken cancellationToken)
    {
        var operations = services.GetRequiredService<IHpcOperationsAccessor>().Get();
        var guard = services.GetRequiredService<ToolGuard>();
        async Task<string?> SystemAsync()
        {
            if (given.TryGetValue("system", out var s) && !string.IsNullOrWhiteSpace(s)) return guard.System(s);
            var systems = (await operations.Status.GetSystemsAsync(cancellationToken)).Where(x => guard.IsSystemAllowed(x.Name)).ToList();
            return systems.Count == 1 ? systems[0].Name : null; // without a system only an unambiguous one helps
        }
        switch (argument)
        {
            case "system":
                return (await operations.Status.GetSystemsAsync(cancellationToken)).Select(s => s.Name).Where(guard.IsSystemAllowed);
            case "partition":
                return await SystemAsync() is { } ps ? (await operations.Status.GetPartitionsAsync(ps, cancellationToken: cancellationToken)).Select(p => p.Name) : [];
            case "account":
                return await SystemAsync() is { } us ? ((await operations.Status.GetUserInfoAsync(us, cancellationToken)).Accounts ?? []).Select(a => a.Name) : [];
            case "job_id" or "id":
                return await SystemAsync() is { } js ? (await operations.Compute.GetJobsAsync(js, new JobQuery(false), cancellationToken)).Select(j => j.JobId) : [];
            case "path":
                if (await SystemAsync() is not { } fs) return [];
                var parent = typed[..(typed.LastIndexOf('/') + 1)];
                if (parent.Length <= 1) // nothing or "/...": the system's file systems, the places users work in
                    return (await operations.Status.GetSystemsAsync(cancellationToken)).Where(s => s.Name == fs)
                        .SelectMany(s => s.FileSystems).Select(f => f.Path.TrimEnd('/') + "/");
                var directory = guard.Path(parent.Length > 1 ? parent.TrimEnd('/') : "/");
                var entries = await operations.Files.ListAsync(fs, directory, new ListOptions(ShowHidden: typed[parent.Length..].StartsWith('.')), cancellationToken);
                return entries.Select(e => parent + e.Name + (e.Type == "d" ? "/" : ""));
            default:
                return [];
        }
    }

    private static CompleteResult Answer(IReadOnlyList<string> values) => new()
    {
        Completion = new Completion { Values = values.Take(MaxValues).ToList(), Total = values.Count, HasMore = values.Count > MaxValues },
    };
}
