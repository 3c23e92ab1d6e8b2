using Firecrest.Core.Json;
using Firecrest.Server.Auth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Firecrest.Server.Errors;

/// <summary>Writes the error envelope.</summary>
public static class ErrorWriter
{
    /// <summary>Writes <paramref name="error"/> with <paramref name="status"/> (the user is filled in from the request).</summary>
    public static async Task WriteAsync(HttpContext context, int status, ApiError error)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = error with { User = error.User ?? RequestUser.TryGetUsername(context) };
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        await context.Response.WriteAsJsonAsync(body, json.TypeInfo<ApiError>(), contentType: null, context.RequestAborted);
    }

    /// <summary>Writes a plain error whose message is the reason phrase of <paramref name="status"/>.</summary>
    public static Task WriteStatusAsync(HttpContext context, int status) =>
        WriteAsync(context, status, new ApiError(ApiError.Error, ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p : $"HTTP {status}"));
}
