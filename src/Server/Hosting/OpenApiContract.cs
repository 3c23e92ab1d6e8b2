using System.Text.Json.Nodes;
using Firecrest.Server.Apis;
using Firecrest.Server.Apis.Requests;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Firecrest.Server.Hosting;

/// <summary>
/// Makes the generated document say what the wire does: exact number types (the reader also takes numbers in
/// strings, the contract is a number), the required request keys, and the error envelope on every status a route
/// can answer.
/// </summary>
public static class OpenApiContract
{
    /// <summary>Name of the error envelope schema in <c>components.schemas</c>.</summary>
    public const string ErrorSchemaName = "ApiResponseError";

    private static readonly Dictionary<Type, string[]> RequiredKeys = new()
    {
        [typeof(MkdirRequest)] = ["path"],
        [typeof(SymlinkRequest)] = ["path", "linkPath"],
        [typeof(ChmodRequest)] = ["path", "mode"],
        [typeof(ChownRequest)] = ["path"],
        [typeof(CompressBody)] = ["sourcePath", "targetPath"],
        [typeof(ExtractBody)] = ["sourcePath", "targetPath"],
        [typeof(MoveCopyRequest)] = ["sourcePath", "targetPath"],
        [typeof(TransferFileRequest)] = ["path", "transferDirectives"],
        [typeof(TransferDirectivesBody)] = ["transferMethod"],
        [typeof(SubmitJobRequest)] = ["job"],
        [typeof(JobDescriptionBody)] = ["workingDirectory"],
        [typeof(AttachRequest)] = ["command"],
    };

    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [400] = "Invalid request (errorType \"validation\" with data.fields) or scheduler refusal",
        [401] = "Missing, invalid or expired access token",
        [403] = "Not authorised for the system, or permission denied on the cluster",
        [404] = "System, job or file not found",
        [408] = "Remote command timed out",
        [413] = "Body, file or command output too large",
        [424] = "SSH connection to the system failed",
        [429] = "Too many requests",
        [500] = "Internal or scheduler error",
        [503] = "A service the route needs is unhealthy",
    };

    /// <summary>Registers the schema, operation and document transformers.</summary>
    public static OpenApiOptions AddFirecrestContract(this OpenApiOptions o)
    {
        o.AddSchemaTransformer((schema, context, _) =>
        {
            ExactNumberType(schema);
            if (RequiredKeys.TryGetValue(context.JsonTypeInfo.Type, out var required))
                schema.Required = new HashSet<string>(required);
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            operation.Responses ??= new OpenApiResponses();
            foreach (var status in ErrorStatuses(context.Description))
                operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
                {
                    Description = Descriptions[status],
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = new OpenApiSchemaReference(ErrorSchemaName, context.Document) },
                    },
                });
            return Task.CompletedTask;
        });
        o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Components ??= new OpenApiComponents();
            doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            doc.Components.Schemas[ErrorSchemaName] = ErrorSchema();
            return Task.CompletedTask;
        });
        return o;
    }

    /// <summary>The statuses a route can answer besides its success, from its path, body and gates.</summary>
    internal static SortedSet<int> ErrorStatuses(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description)
    {
        var path = description.RelativePath ?? "";
        // Readiness takes no token and is never rate-limited: it fails only as "not ready".
        if (path.StartsWith("status/readiness", StringComparison.Ordinal)) return [500, 503];
        var statuses = new SortedSet<int> { 429, 500 };
        if (path.StartsWith("status/liveness", StringComparison.Ordinal)) return statuses;
        statuses.Add(401);
        if (!path.Contains("{system_name}", StringComparison.Ordinal)) return statuses;
        statuses.UnionWith([400, 403, 404, 408, 424]);
        var metadata = description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<HealthGate>().Any()) statuses.Add(503);
        if (description.ParameterDescriptions.Any(p => p.Source.Id == "Body" || p.Source.Id == "Form")
            || path.EndsWith("/download", StringComparison.Ordinal) || path.Contains("/ops/", StringComparison.Ordinal))
            statuses.Add(413);
        return statuses;
    }

    private static void ExactNumberType(OpenApiSchema schema)
    {
        if (schema.Type is not { } type || (type & JsonSchemaType.String) == 0) return;
        if ((type & (JsonSchemaType.Integer | JsonSchemaType.Number)) == 0) return;
        schema.Type = type & ~JsonSchemaType.String;
        schema.Pattern = null;
    }

    private static OpenApiSchema ErrorSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Error envelope of every non-2xx answer.",
        Required = new HashSet<string> { "errorType", "message" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["errorType"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("error"), JsonValue.Create("validation")] },
            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["causedBy"] = new OpenApiSchema { Type = JsonSchemaType.Array | JsonSchemaType.Null, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            ["data"] = new OpenApiSchema { Type = JsonSchemaType.Object | JsonSchemaType.Null, Description = "For validation errors: {\"fields\":[{location,name,message}]}." },
            ["user"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        },
    };
}
