using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Firecrest.Integration.Tests.Reliability;

/// <summary>One bad request of the fuzz test.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Url">Path and query, escaped.</param>
/// <param name="Body">Body factory (a fresh content per send), or null.</param>
/// <param name="What">What is wrong with it (for the report).</param>
public sealed record FuzzCase(HttpMethod Method, string Url, Func<HttpContent>? Body, string What)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Method} {(Url.Length > 160 ? Url[..160] + "…" : Url)} [{What}]";
}

/// <summary>
/// Bad inputs for every operation of the server's OpenAPI document: malformed JSON, wrong types, huge bodies, <c>..</c>
/// and relative paths, NUL bytes, very long paths, invalid job ids, unknown systems, negative or huge sizes, wrong methods.
/// Valid parameters are filled with values that cannot change anything (missing files, a job id that does not exist).
/// </summary>
public static class FuzzInputs
{
    /// <summary>Bodies larger than this are refused by the server under test (Server:MaxRequestBodySize).</summary>
    public const int MaxBody = 1024 * 1024;

    private const string Missing = "/home/fireuser/reliab-fuzz-missing/none";

    /// <summary>Values of path-like parameters that must be refused.</summary>
    public static readonly string[] BadPaths =
    [
        "", "relative/file", "./x", "../etc/passwd", "/home/../../etc/passwd", "/home/fireuser/../../../etc/shadow", "/etc/passwd",
        "//etc/passwd", "/", "~fireuser2/x", "/home/fireuser/a\0b", "\0", "/home/fireuser\0/../../etc", "/" + new string('a', 5000),
        "/home/fireuser/" + new string('n', 300), "/home/fireuser/" + string.Join('/', Enumerable.Repeat("d", 3000)),
        "/home/fireuser/reliab-fuzz-missing/\n/x", "/scratch/../../root/.ssh/id_rsa",
    ];

    private static readonly string[] BadIntegers =
        ["-1", "-9223372036854775809", "99999999999999999999999", "abc", "1.5", "NaN", "0x10", "1e309", " "];

    private static readonly string[] BadBooleans = ["maybe", "2", "yes!", "\0"];

    private static readonly string[] BadStrings = ["a\0b", new string('x', 20000)];

    private static readonly string[] BadJobIds =
        ["abc", "-1", "1;id", "0", "99999999999999999999999", "1.5", "..", new string('9', 5000), "1 2", "$(id)", "1\n2"];

    private static readonly string[] BadSystems = ["nosuch", "..", new string('s', 5000), "cluster/..", "CLUSTER2", "cluster\n"];

    // A NUL byte in the URL path never reaches the application: the HTTP layer refuses it (Kestrel 400; TestHost throws).

    private static readonly string[] Malformed =
        ["{", "{\"path\":", "[1,2", "nul", "\0", "", "null", "[]", "\"text\"", "123", "true", "{\"a\":1}}", "{'path':'/x'}"];

    private static readonly JsonNode?[] WrongTypes = [12345, -1, new JsonArray(1), new JsonObject { ["x"] = 1 }, true, "\0"];

    private static readonly HttpMethod[] Methods = [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch];

    /// <summary>All bad requests for the OpenAPI document <paramref name="openApi"/>.</summary>
    public static List<FuzzCase> For(JsonElement openApi)
    {
        var cases = new List<FuzzCase>();
        foreach (var path in openApi.GetProperty("paths").EnumerateObject())
        {
            var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var op in path.Value.EnumerateObject())
            {
                if (!Methods.Any(m => m.Method.Equals(op.Name, StringComparison.OrdinalIgnoreCase))) continue;
                declared.Add(op.Name);
                cases.AddRange(ForOperation(openApi, path.Name, new HttpMethod(op.Name.ToUpperInvariant()), op.Value));
            }
            foreach (var m in Methods.Where(m => !declared.Contains(m.Method)))
                cases.Add(new FuzzCase(m, Fill(path.Name, new Dictionary<string, string>()), null, "wrong method"));
        }
        return cases;
    }

    private static IEnumerable<FuzzCase> ForOperation(JsonElement doc, string template, HttpMethod method, JsonElement op)
    {
        var parameters = op.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray().ToList() : [];
        var query = parameters.Where(p => p.GetProperty("in").GetString() == "query").ToList();
        var body = op.TryGetProperty("requestBody", out var rb) ? rb : (JsonElement?)null;
        var isMultipart = body?.GetProperty("content").TryGetProperty("multipart/form-data", out _) == true;
        var jsonSchema = body is { } b && b.GetProperty("content").TryGetProperty("application/json", out var j) ? Resolve(doc, j.GetProperty("schema")) : (JsonElement?)null;

        // Valid-looking defaults that still change nothing.
        var queryDefaults = query.ToDictionary(p => p.GetProperty("name").GetString()!, p => DefaultFor(p.GetProperty("name").GetString()!));
        Func<HttpContent>? defaultBody = jsonSchema is not null ? () => Json(new JsonObject()) : isMultipart ? () => FileForm(16) : null;
        string Url(Dictionary<string, string>? route = null, Dictionary<string, string>? q = null) =>
            Fill(template, route ?? []) + QueryString(q ?? queryDefaults);
        bool Required(string name) => query.Any(p => p.GetProperty("name").GetString() == name && p.TryGetProperty("required", out var r) && r.GetBoolean());

        // Route parameters.
        if (template.Contains("{system_name}", StringComparison.Ordinal))
            foreach (var v in BadSystems)
                yield return new FuzzCase(method, Url(new() { ["system_name"] = v }), defaultBody, $"unknown system '{Short(v)}'");
        if (template.Contains("{job_id}", StringComparison.Ordinal))
            foreach (var v in BadJobIds)
                yield return new FuzzCase(method, Url(new() { ["job_id"] = v }), defaultBody, $"invalid job id '{Short(v)}'");

        // Query parameters, one at a time; required ones also left out.
        foreach (var p in query)
        {
            var name = p.GetProperty("name").GetString()!;
            var type = SchemaType(doc, p);
            var values = name is "path" ? BadPaths : type is "integer" or "number" ? BadIntegers : type == "boolean" ? BadBooleans : BadStrings;
            foreach (var v in values)
                yield return new FuzzCase(method, Url(q: With(queryDefaults, name, v)), defaultBody, $"{name}='{Short(v)}'");
            if (Required(name))
                yield return new FuzzCase(method, Url(q: queryDefaults.Where(kv => kv.Key != name).ToDictionary()), defaultBody, $"{name} missing");
        }

        if (jsonSchema is { } schema)
        {
            foreach (var text in Malformed)
                yield return new FuzzCase(method, Url(), () => Raw(text, "application/json"), $"malformed JSON '{Short(text)}'");
            yield return new FuzzCase(method, Url(), () => Raw("path=/x", "text/plain"), "wrong content type");
            yield return new FuzzCase(method, Url(), null, "no body");
            yield return new FuzzCase(method, Url(), () => Raw("{\"path\":\"" + new string('a', MaxBody + 10) + "\"}", "application/json"), "huge body");
            foreach (var prop in Properties(doc, schema))
            {
                foreach (var w in WrongTypes)
                    yield return new FuzzCase(method, Url(), () => Json(new JsonObject { [prop] = w?.DeepClone() }), $"{prop} wrong type {Short(w?.ToJsonString() ?? "null")}");
                if (IsPathProperty(prop) && template != "/compute/{system_name}/jobs")
                    foreach (var v in BadPaths)
                        yield return new FuzzCase(method, Url(), () => Json(new JsonObject { [prop] = v }), $"{prop}='{Short(v)}'");
            }
            if (template.EndsWith("/transfer/upload", StringComparison.Ordinal))
                foreach (var size in new JsonNode[] { -1, 0, JsonValue.Create(long.MaxValue), JsonValue.Create(1e30), "ten" })
                    yield return new FuzzCase(method, Url(), () => Json(new JsonObject
                    {
                        ["path"] = Missing,
                        ["transferDirectives"] = new JsonObject { ["transferMethod"] = "s3", ["fileSize"] = size.DeepClone() },
                    }), $"fileSize {size.ToJsonString()}");
            if (template == "/compute/{system_name}/jobs")
                foreach (var wd in new[] { "/home/fireuser\0/x", "" })
                    yield return new FuzzCase(method, Url(), () => Json(new JsonObject
                    {
                        ["job"] = new JsonObject { ["workingDirectory"] = wd, ["script"] = "#!/bin/bash\ntrue", ["name"] = "reliab-fuzz" },
                    }), $"job.workingDirectory '{Short(wd)}'");
        }
        if (isMultipart)
        {
            yield return new FuzzCase(method, Url(), null, "upload without a form");
            yield return new FuzzCase(method, Url(), () => new MultipartFormDataContent(), "upload form without a file");
            yield return new FuzzCase(method, Url(), () => FileForm(MaxBody + 10), "upload larger than the body limit");
            yield return new FuzzCase(method, Url(), () => Raw("{}", "application/json"), "upload as JSON");
        }
    }

    private static string DefaultFor(string name) => name switch
    {
        "path" => Missing,
        _ => "",
    };

    private static Dictionary<string, string> With(Dictionary<string, string> d, string key, string value) =>
        new(d.Where(kv => kv.Value != "" || kv.Key == key)) { [key] = value };

    private static string Fill(string template, Dictionary<string, string> route)
    {
        var s = template;
        foreach (var (key, fallback) in new[] { ("system_name", "cluster"), ("job_id", "999999999") })
            s = s.Replace("{" + key + "}", Uri.EscapeDataString(route.GetValueOrDefault(key, fallback)), StringComparison.Ordinal);
        return s;
    }

    private static string QueryString(Dictionary<string, string> q)
    {
        var pairs = q.Where(kv => kv.Value != "" || kv.Key == "path").Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}").ToList();
        return pairs.Count == 0 ? "" : "?" + string.Join('&', pairs);
    }

    private static JsonElement Resolve(JsonElement doc, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var r)) return schema;
        var name = r.GetString()!.Split('/').Last();
        return doc.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    private static string? SchemaType(JsonElement doc, JsonElement parameter)
    {
        if (!parameter.TryGetProperty("schema", out var s)) return null;
        s = Resolve(doc, s);
        if (!s.TryGetProperty("type", out var t)) return null;
        if (t.ValueKind == JsonValueKind.String) return t.GetString();
        return t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x != "null") : null;
    }

    private static IEnumerable<string> Properties(JsonElement doc, JsonElement schema) =>
        schema.TryGetProperty("properties", out var props) ? props.EnumerateObject().Select(p => p.Name).ToList() : [];

    private static bool IsPathProperty(string name) =>
        name.Contains("path", StringComparison.OrdinalIgnoreCase) || name.Contains("Path", StringComparison.Ordinal);

    private static HttpContent Json(JsonNode node) => Raw(node.ToJsonString(), "application/json");

    private static HttpContent Raw(string text, string mediaType)
    {
        var c = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        c.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return c;
    }

    private static HttpContent FileForm(int size)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(new byte[size]), "file", "fuzz.bin");
        return form;
    }

    private static string Short(string s)
    {
        var t = s.Replace("\0", "\\0", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return t.Length > 40 ? $"{t[..20]}…({s.Length} chars)" : t;
    }
}
