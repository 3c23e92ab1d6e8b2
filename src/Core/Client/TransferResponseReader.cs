using System.Text.Json;
using System.Text.Json.Nodes;
using Firecrest.Core.Json;
using Firecrest.Core.Models;

namespace Firecrest.Core.Client;

/// <summary>
/// Reads the answer of <c>transfer/upload</c> and <c>transfer/download</c> from servers of any 2.x version: camelCase
/// <c>transferDirectives</c> (2.5.0 and later), the older snake_case keys (<c>transfer_method</c>, <c>parts_upload_urls</c>,
/// <c>download_url</c>, …; issue #162), and the oldest top-level <c>partsUploadUrls</c>/<c>completeMultipartUploadUrl</c>/<c>maxPartSize</c>.
/// </summary>
public static class TransferResponseReader
{
    /// <summary>Parses <paramref name="json"/>.</summary>
    /// <exception cref="HpcException"><see cref="HpcErrorKind.Internal"/> when the JSON is not an object.</exception>
    public static TransferResponse Read(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new HpcException(HpcErrorKind.Internal, "The transfer answer is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new HpcException(HpcErrorKind.Internal, $"The transfer answer is not valid JSON: {e.Message}", e);
        }

        var job = Find(root, "transferJob", "transfer_job");
        var directives = Find(root, "transferDirectives", "transfer_directives") as JsonObject;
        var camel = new JsonObject();
        if (directives is not null)
            foreach (var (key, value) in directives) camel[ToCamel(key)] = value?.DeepClone();
        // Oldest servers: directive fields at the top level.
        CopyIfMissing(root, camel, "partsUploadUrls", "partsUploadUrls", "parts_upload_urls");
        CopyIfMissing(root, camel, "completeUploadUrl", "completeMultipartUploadUrl", "completeUploadUrl", "complete_upload_url");
        CopyIfMissing(root, camel, "maxPartSize", "maxPartSize", "max_part_size");
        CopyIfMissing(root, camel, "downloadUrl", "downloadUrl", "download_url");
        if (camel.ContainsKey("completeMultipartUploadUrl") && !camel.ContainsKey("completeUploadUrl"))
            camel["completeUploadUrl"] = camel["completeMultipartUploadUrl"]!.DeepClone();

        var transferJob = job is null ? new TransferJob() : ReadJob(job);
        return new TransferResponse
        {
            TransferJob = transferJob,
            TransferDirectives = camel.Count == 0 ? null : camel.Deserialize(FirecrestJson.WithoutReflection.TypeInfo<TransferDirectives>()),
        };
    }

    private static TransferJob ReadJob(JsonNode job)
    {
        var camel = new JsonObject();
        if (job is JsonObject o)
            foreach (var (key, value) in o)
                camel[ToCamel(key)] = value is JsonObject inner ? CamelObject(inner) : value?.DeepClone();
        return camel.Deserialize(FirecrestJson.WithoutReflection.TypeInfo<TransferJob>()) ?? new TransferJob();
    }

    private static JsonObject CamelObject(JsonObject o)
    {
        var camel = new JsonObject();
        foreach (var (key, value) in o) camel[ToCamel(key)] = value?.DeepClone();
        return camel;
    }

    private static JsonNode? Find(JsonObject root, params string[] names)
    {
        foreach (var name in names)
            if (root.TryGetPropertyValue(name, out var v) && v is not null) return v;
        return null;
    }

    private static void CopyIfMissing(JsonObject root, JsonObject target, string targetKey, params string[] names)
    {
        if (target.ContainsKey(targetKey)) return;
        if (Find(root, names) is { } v) target[targetKey] = v.DeepClone();
    }

    /// <summary><c>parts_upload_urls</c> → <c>partsUploadUrls</c>; camelCase keys are kept.</summary>
    public static string ToCamel(string key)
    {
        if (!key.Contains('_')) return key;
        var parts = key.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? key : parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
