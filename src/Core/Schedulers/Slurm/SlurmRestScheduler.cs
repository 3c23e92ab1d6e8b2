using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Firecrest.Core.Configuration;
using Firecrest.Core.Diagnostics;
using Firecrest.Core.Errors;
using Firecrest.Core.Models;

namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>
/// Slurm through slurmrestd (<c>connection_mode: rest</c>), for api versions 0.0.38 to 0.0.42. The token is the caller's JWT, or, when
/// <see cref="SchedulerSettings.JwtKeyFile"/> is set, an HS256 token minted with Slurm's own key for the user.
/// Script-path submits and metadata need SSH (see <see cref="SlurmHybridScheduler"/>): here they are NotImplemented.
/// </summary>
public sealed partial class SlurmRestScheduler : IScheduler
{
    private readonly HttpClient _http;
    private readonly ClusterSettings _cluster;
    private readonly Lazy<byte[]?> _jwtKey;

    /// <summary>Creates the adapter for one cluster; <paramref name="http"/> is shared and not disposed here.</summary>
    public SlurmRestScheduler(HttpClient http, ClusterSettings cluster)
    {
        _http = http;
        _cluster = cluster;
        if (string.IsNullOrEmpty(cluster.Scheduler.ApiUrl))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Cluster '{cluster.Name}': scheduler.api_url is required for slurmrestd.");
        _jwtKey = new Lazy<byte[]?>(() => cluster.Scheduler.JwtKeyFile is { Length: > 0 } f ? File.ReadAllBytes(f) : null);
    }

    /// <summary>Clock used for time windows, elapsed times and minted tokens.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Api version, e.g. <c>0.0.42</c> (the default).</summary>
    public string ApiVersion => _cluster.Scheduler.ApiVersion is { Length: > 0 } v ? v.TrimStart('v') : "0.0.42";

    private int Minor => int.TryParse(ApiVersion.Split('.').Last(), out var m) ? m : 42;

    private string Url(string path) => _cluster.Scheduler.ApiUrl!.TrimEnd('/') + path.Replace("{v}", "v" + ApiVersion);

    private string Token(UserIdentity user)
    {
        if (_jwtKey.Value is { } key) return SlurmJwt.Mint(key, user.Username, Clock.GetUtcNow(), TimeSpan.FromMinutes(10));
        return user.AccessToken is { Length: > 0 } t ? t
            : throw new HpcException(HpcErrorKind.Unauthenticated, "slurmrestd needs the caller's access token, and none was given.");
    }

    private sealed record Reply(HttpStatusCode Status, JsonDocument? Body);

    private async Task<Reply> SendAsync(UserIdentity user, HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, Url(path));
        request.Headers.Add("X-SLURM-USER-NAME", user.Username);
        request.Headers.Add("X-SLURM-USER-TOKEN", Token(user));
        request.Headers.Accept.ParseAdd("application/json");
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            // slurmrestd 22.05 matches the media type exactly: "application/json; charset=utf-8" is "Unable to parse query".
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_cluster.Scheduler.Timeout > 0 ? _cluster.Scheduler.Timeout : 10));
        using var span = SchedulerTelemetry.StartSlurmRest(method.Method, PathTemplate(path), _cluster.Name, user.Username);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            span?.SetTag("http.response.status_code", (int)response.StatusCode);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            JsonDocument? doc = null;
            try { if (!string.IsNullOrWhiteSpace(text)) doc = JsonDocument.Parse(text); }
            catch (JsonException) when (!response.IsSuccessStatusCode) { }
            catch (JsonException e) { throw new HpcException(HpcErrorKind.Internal, $"slurmrestd answered {path} with invalid JSON.", e); }
            return new Reply(response.StatusCode, doc ?? (text.Length > 0 && !response.IsSuccessStatusCode ? JsonDocument.Parse(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["error"] = text.Trim() }) }.ToJsonString()) : null));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var e = new HpcException(HpcErrorKind.Timeout, $"slurmrestd did not answer {path} in time.");
            span.Fail(e);
            throw e;
        }
        catch (HttpRequestException e)
        {
            span.Fail(e);
            throw new HpcException(HpcErrorKind.ConnectionFailed, $"slurmrestd is unreachable: {e.Message}", e);
        }
    }

    /// <summary>The route of a request path for its span: no query, the job id as <c>{job_id}</c>.</summary>
    internal static string PathTemplate(string path)
    {
        var query = path.IndexOf('?');
        if (query >= 0) path = path[..query];
        return JobSegment().Replace(path, "/job/{job_id}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/job/(?!submit\z)[^/]+")]
    private static partial System.Text.RegularExpressions.Regex JobSegment();

    /// <summary>The texts of <c>errors[]</c> (error and description).</summary>
    private static string Errors(JsonDocument? doc)
    {
        if (doc?.RootElement.Prop("errors") is not { ValueKind: JsonValueKind.Array } errors) return "";
        return string.Join("; ", errors.EnumerateArray().Select(e =>
            string.Join(": ", new[] { SlurmRestJson.Str(e.Prop("error")), SlurmRestJson.Str(e.Prop("description")) }.Where(s => s is not null).Distinct())));
    }

    private static HpcException Failure(string what, Reply reply)
    {
        var detail = Errors(reply.Body);
        var message = $"slurmrestd {what} failed ({(int)reply.Status}){(detail.Length > 0 ? ": " + detail : "")}";
        var fromText = RemoteErrorClassifier.ClassifySubmission(detail);
        var kind = fromText == HpcErrorKind.QuotaExceeded ? fromText
            : reply.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? HttpErrorKinds.KindOf((int)reply.Status)
            : fromText;
        return new HpcException(kind, message) { StatusCode = (int)reply.Status };
    }

    private async Task<JsonDocument> GetOkAsync(UserIdentity user, string what, string path, CancellationToken ct)
    {
        var reply = await SendAsync(user, HttpMethod.Get, path, null, ct).ConfigureAwait(false);
        if (reply.Status != HttpStatusCode.OK || reply.Body is null) throw Failure(what, reply);
        return reply.Body;
    }

    /// <summary>
    /// The submit body for this api version: the environment is a list of <c>NAME=value</c> from 0.0.39 on (a map
    /// before), and the script moves inside <c>job</c> from 0.0.41 on.
    /// </summary>
    public JsonObject SubmitBody(JobDescription job)
    {
        if (string.IsNullOrWhiteSpace(job.WorkingDirectory))
            throw new HpcException(HpcErrorKind.InvalidArgument, "The job's working directory is required.");
        if (string.IsNullOrEmpty(job.Script))
            throw new HpcException(HpcErrorKind.InvalidArgument, "An inline script is required over slurmrestd.");
        var env = job.Env ?? new Dictionary<string, string>(SlurmCliCommands.DefaultEnvironment);
        SlurmCliCommands.CheckNames(env); // values go as JSON strings: any character stays in its variable
        JsonNode environment = Minor >= 39
            ? new JsonArray(env.Select(kv => (JsonNode)JsonValue.Create($"{kv.Key}={kv.Value}")!).ToArray())
            : new JsonObject(env.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        var props = new JsonObject();
        void Add(string key, string? value) { if (value is not null) props[key] = value; }
        Add("name", job.Name);
        Add("account", job.Account);
        Add("reservation", job.Reservation);
        Add("partition", job.Partition);
        Add("current_working_directory", job.WorkingDirectory);
        Add("standard_input", job.StandardInput);
        Add("standard_output", job.StandardOutput);
        Add("standard_error", job.StandardError);
        props["environment"] = environment;
        Add("constraints", job.Constraints);
        Add("dependency", job.Dependency);
        if (Minor >= 41)
        {
            props["script"] = job.Script;
            return new JsonObject { ["job"] = props };
        }
        return new JsonObject { ["job"] = props, ["script"] = job.Script };
    }

    /// <inheritdoc/>
    public async Task<string> SubmitJobAsync(UserIdentity user, JobDescription job, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(job.ScriptPath))
            throw new HpcException(HpcErrorKind.NotImplemented, "Submitting a script path needs SSH; this system uses slurmrestd only.");
        var reply = await SendAsync(user, HttpMethod.Post, "/slurm/{v}/job/submit", SubmitBody(job), cancellationToken).ConfigureAwait(false);
        if (reply.Status != HttpStatusCode.OK || reply.Body is null) throw Failure("submit", reply);
        var id = SlurmRestJson.Str(reply.Body.RootElement.Prop("job_id"));
        if (id is null) throw Failure("submit", reply);
        return id;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Job>> GetJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken)
    {
        JobId.Parse(jobId, JobId.DefaultField);
        var db = JobsOrNoneAsync(user, $"/slurmdb/{{v}}/job/{Uri.EscapeDataString(jobId)}", accounting: true, cancellationToken);
        var ctld = JobsOrNoneAsync(user, $"/slurm/{{v}}/job/{Uri.EscapeDataString(jobId)}", accounting: false, cancellationToken);
        return Merge(await db.ConfigureAwait(false), await ctld.ConfigureAwait(false));
    }

    /// <inheritdoc/>
    /// <remarks>User, name and (for slurmctld) account filters are applied here, as upstream does.</remarks>
    public async Task<IReadOnlyList<Job>> GetJobsAsync(UserIdentity user, JobQuery query, CancellationToken cancellationToken)
    {
        var window = SlurmCliCommands.StartTime(query.TimeWindow); // validates; "now-24hours" style
        var hours = (query.TimeWindow ?? "24h") switch { "1h" => 1, "8h" => 8, "3d" => 72, "7d" => 168, _ => 24 };
        var start = Minor >= 40 ? (Clock.GetUtcNow() - TimeSpan.FromHours(hours)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : window;
        var account = query.Account is null ? "" : "account=" + Uri.EscapeDataString(query.Account);
        var dbPath = "/slurmdb/{v}/jobs?" + (account.Length > 0 ? account + "&" : "") + "start_time=" + Uri.EscapeDataString(start);
        var ctldPath = "/slurm/{v}/jobs" + (account.Length > 0 ? "?" + account : "");
        var db = JobsOrNoneAsync(user, dbPath, accounting: true, cancellationToken);
        var ctld = JobsOrNoneAsync(user, ctldPath, accounting: false, cancellationToken);
        return Merge(await db.ConfigureAwait(false), await ctld.ConfigureAwait(false))
            .Where(j => query.AllUsers || j.User == user.Username)
            .Where(j => query.Name is null || j.Name == query.Name)
            .Where(j => query.Account is null || j.Account == query.Account)
            .ToList();
    }

    private async Task<List<Job>> JobsOrNoneAsync(UserIdentity user, string path, bool accounting, CancellationToken ct)
    {
        var reply = await SendAsync(user, HttpMethod.Get, path, null, ct).ConfigureAwait(false);
        using var body = reply.Body;
        var jobs = body?.RootElement.Prop("jobs");
        if (reply.Status == HttpStatusCode.NotFound || (jobs is null && reply.Status != HttpStatusCode.OK)) return [];
        if (jobs is not { ValueKind: JsonValueKind.Array } list)
        {
            if (Errors(body).Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return [];
            throw Failure("job query", reply);
        }
        var now = Clock.GetUtcNow();
        return list.EnumerateArray().Select(j => accounting ? SlurmRestJson.AccountingJob(j) : SlurmRestJson.ControllerJob(j, now)).ToList();
    }

    /// <summary>
    /// Accounting jobs first; a slurmctld record replaces its accounting one (slurmctld is current while it still
    /// holds the job; slurmdbd 22.05 misreports exit codes), keeping the accounting steps as tasks.
    /// </summary>
    internal static List<Job> Merge(List<Job> accounting, List<Job> controller)
    {
        var byId = new Dictionary<string, Job>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var j in accounting)
        {
            if (!byId.ContainsKey(j.JobId)) order.Add(j.JobId);
            byId[j.JobId] = j;
        }
        foreach (var j in controller)
        {
            if (byId.TryGetValue(j.JobId, out var old)) { j.Tasks ??= old.Tasks; j.KillRequestUser ??= old.KillRequestUser; j.Cluster ??= old.Cluster; }
            else order.Add(j.JobId);
            byId[j.JobId] = j;
        }
        return order.Select(id => byId[id]).ToList();
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) =>
        throw new HpcException(HpcErrorKind.NotImplemented, "Job metadata needs SSH; this system uses slurmrestd only.");

    /// <inheritdoc/>
    public async Task CancelJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken)
    {
        JobId.Parse(jobId, JobId.DefaultField);
        var reply = await SendAsync(user, HttpMethod.Delete, $"/slurm/{{v}}/job/{Uri.EscapeDataString(jobId)}", null, cancellationToken).ConfigureAwait(false);
        using var body = reply.Body;
        var errors = Errors(body);
        if (reply.Status == HttpStatusCode.OK && errors.Length == 0) return;
        if (errors.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) || reply.Status == HttpStatusCode.NotFound)
            throw new HpcException(HpcErrorKind.NotFound, $"Job {jobId} not found: {errors}") { StatusCode = (int)reply.Status };
        throw Failure("cancel", reply);
    }

    /// <inheritdoc/>
    /// <remarks>Upstream silently does nothing in REST mode; this says so instead (see docs/differences.md).</remarks>
    public Task AttachAsync(UserIdentity user, string jobId, string command, CancellationToken cancellationToken) =>
        throw new HpcException(HpcErrorKind.NotImplemented, "Attaching to a job needs SSH; this system uses slurmrestd only.");

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Node>> GetNodesAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        using var doc = await GetOkAsync(user, "nodes", "/slurm/{v}/nodes", cancellationToken).ConfigureAwait(false);
        return doc.RootElement.Prop("nodes") is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().Select(SlurmRestJson.Node).ToList() : [];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Partition>> GetPartitionsAsync(UserIdentity user, bool showHidden, CancellationToken cancellationToken)
    {
        using var doc = await GetOkAsync(user, "partitions", "/slurm/{v}/partitions" + (showHidden ? "?flags=ALL" : ""), cancellationToken).ConfigureAwait(false);
        return doc.RootElement.Prop("partitions") is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Where(p => showHidden || !SlurmRestJson.IsHidden(p)).Select(SlurmRestJson.Partition).ToList()
            : [];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Reservation>> GetReservationsAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        using var doc = await GetOkAsync(user, "reservations", "/slurm/{v}/reservations", cancellationToken).ConfigureAwait(false);
        var now = Clock.GetUtcNow();
        return doc.RootElement.Prop("reservations") is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().Select(r => SlurmRestJson.Reservation(r, now)).ToList() : [];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SchedulerAccount>?> GetAccountsAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        using var doc = await GetOkAsync(user, "associations", "/slurmdb/{v}/associations?user=" + Uri.EscapeDataString(user.Username), cancellationToken).ConfigureAwait(false);
        if (doc.RootElement.Prop("associations") is not { ValueKind: JsonValueKind.Array } a) return [];
        var result = new List<SchedulerAccount>();
        foreach (var assoc in a.EnumerateArray())
        {
            if (SlurmRestJson.Str(assoc.Prop("user")) is { } u && u != user.Username) continue;
            var name = SlurmRestJson.Str(assoc.Prop("account"));
            if (name is null || result.Any(r => r.Name == name)) continue;
            result.Add(new SchedulerAccount { Name = name, Default = assoc.Prop("is_default") is { ValueKind: JsonValueKind.True } });
        }
        return result;
    }

    /// <inheritdoc/>
    public async Task<(bool Healthy, string Message)> PingAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(user, HttpMethod.Get, "/slurm/{v}/ping", null, cancellationToken).ConfigureAwait(false);
        using var body = reply.Body;
        if (reply.Status != HttpStatusCode.OK || body?.RootElement.Prop("pings") is not { ValueKind: JsonValueKind.Array } pings)
            return (false, Failure("ping", reply).Message);
        var states = pings.EnumerateArray()
            .Select(p => (Host: SlurmRestJson.Str(p.Prop("hostname")) ?? "?", State: SlurmRestJson.Str(p.Prop("pinged")) ?? SlurmRestJson.Str(p.Prop("ping")) ?? "?"))
            .ToList();
        var healthy = states.Count > 0 && states.All(s => s.State.Equals("UP", StringComparison.OrdinalIgnoreCase));
        return (healthy, string.Join(", ", states.Select(s => $"{s.Host} is {s.State}")));
    }
}
