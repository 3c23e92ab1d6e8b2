using System.Text.Json;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Json;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Firecrest.Server.Apis;

/// <summary>
/// The serialised <c>/status/systems</c> body, rebuilt only when the health state changes: the version of the health
/// state is, per system, the result list the checker published (a new list per run) and the time of its last run.
/// The configuration does not change while the server runs.
/// </summary>
public sealed class SystemsResponseCache(FirecrestSettings settings, IHpcEngine engine, IOptions<HttpJsonOptions> json)
{
    private Snapshot? _current;

    /// <summary>The UTF-8 JSON body of the current systems view.</summary>
    public byte[] Body()
    {
        var health = engine.Health;
        var clusters = settings.Clusters;
        var lastRuns = health.LastRuns;
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Matches(clusters, health, lastRuns)) return current.Body;

        var results = new object?[clusters.Count];
        var runs = new DateTimeOffset?[clusters.Count];
        for (var i = 0; i < clusters.Count; i++)
        {
            results[i] = health.GetResults(clusters[i].Name);
            runs[i] = lastRuns.TryGetValue(clusters[i].Name, out var t) ? t : null;
        }
        // The view is built from the same state as the version it is stored under (a newer run only makes it stale).
        var systems = clusters.Select(c => SystemView.From(c, health)).ToList();
        var body = JsonSerializer.SerializeToUtf8Bytes(new SystemsResponse(systems), json.Value.SerializerOptions.TypeInfo<SystemsResponse>());
        Volatile.Write(ref _current, new Snapshot(results, runs, body));
        return body;
    }

    private sealed class Snapshot(object?[] results, DateTimeOffset?[] runs, byte[] body)
    {
        public byte[] Body { get; } = body;

        public bool Matches(List<ClusterSettings> clusters, IHealthState health, IReadOnlyDictionary<string, DateTimeOffset> lastRuns)
        {
            if (clusters.Count != results.Length) return false;
            for (var i = 0; i < clusters.Count; i++)
            {
                var name = clusters[i].Name;
                if (!ReferenceEquals(health.GetResults(name), results[i])) return false;
                DateTimeOffset? run = lastRuns.TryGetValue(name, out var t) ? t : null;
                if (run != runs[i]) return false;
            }
            return true;
        }
    }
}
