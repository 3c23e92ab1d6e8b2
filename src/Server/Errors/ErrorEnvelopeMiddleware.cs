using System.Text.Json;
using System.Text.RegularExpressions;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Errors;
using Firecrest.Core.FileSystem;

namespace Firecrest.Server.Errors;

/// <summary>Turns every exception into the error envelope with the status of <see cref="HttpErrorKinds.StatusOf"/>; never leaks stack traces.</summary>
public sealed partial class ErrorEnvelopeMiddleware(RequestDelegate next, ILogger<ErrorEnvelopeMiddleware> logger, FirecrestSettings settings)
{
    /// <summary>Runs the rest of the pipeline and answers its exceptions.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody reads an answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var (status, error) = Describe(context, ex);
            if (status >= 500) logger.LogError(ex, "Request failed with {Status}", status);
            else logger.LogDebug("Request failed with {Status}: {Message}", status, ex.Message);
            context.Response.Clear();
            await ErrorWriter.WriteAsync(context, status, error);
        }
    }

    private (int Status, ApiError Error) Describe(HttpContext context, Exception ex) => ex switch
    {
        HpcValidationException v => (400, Validation(context, v.Fields)),
        PathRefusedException r => (403, new ApiError(ApiError.Error, r.Message, null,
            new ValidationErrorData([new FieldError(LocationOf(context, r.Field), r.Field, r.Reason)]))),
        HpcException h => (h.StatusCode is >= 400 and < 600 && h.Kind == HpcErrorKind.Internal ? h.StatusCode.Value : HttpErrorKinds.StatusOf(h.Kind),
            new ApiError(ApiError.Error, h.Message, h.CausedBy, h.ErrorData)),
        BadHttpRequestException b => DescribeBadRequest(context, b),
        JsonException j => (400, Validation(context, [new InvalidField("body", j.Message, "body")])),
        _ => (500, new ApiError(ApiError.Error, settings.AppDebug ? ex.Message : "Internal server error")),
    };

    private static (int, ApiError) DescribeBadRequest(HttpContext context, BadHttpRequestException b)
    {
        if (b.StatusCode == StatusCodes.Status413PayloadTooLarge)
            return (413, new ApiError(ApiError.Error, "Request body too large."));
        if (b.StatusCode != StatusCodes.Status400BadRequest)
            return (b.StatusCode, new ApiError(ApiError.Error, b.Message));
        var m = ParameterPattern().Match(b.Message);
        var name = m.Success ? m.Groups["name"].Value : "body";
        var location = b.Message.Contains("from route or query", StringComparison.Ordinal) ? RouteOrQuery(context, name)
            : b.Message.Contains("from query", StringComparison.Ordinal) ? "query"
            : b.Message.Contains("from route", StringComparison.Ordinal) ? "path"
            : b.Message.Contains("from header", StringComparison.Ordinal) ? "header"
            : null;
        var message = b.Message.StartsWith("Required parameter", StringComparison.Ordinal) ? "Field required" : b.Message;
        return (400, Validation(context, [new InvalidField(name, message, location)]));
    }

    /// <summary>
    /// The validation envelope for <paramref name="fields"/>; a field without a location (the engine does not know how
    /// the face received it) is a query parameter when the request has one of that name, a route value, else body.
    /// </summary>
    private static ApiError Validation(HttpContext context, IReadOnlyList<InvalidField> fields)
    {
        var located = fields.Select(f => f with { Location = f.Location ?? LocationOf(context, f.Name) }).ToList();
        var data = new ValidationErrorData(located.Select(f => new FieldError(f.Location!, f.Name, f.Message)).ToList());
        return new ApiError(ApiError.Validation, HpcValidationException.Describe(located), null, data);
    }

    // The generated binder says "from route or query string" where the route pattern decides.
    private static string RouteOrQuery(HttpContext context, string name) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.GetParameter(name) is null ? "query" : "path";

    private static string LocationOf(HttpContext context, string name) =>
        context.Request.Query.ContainsKey(name) ? "query"
        : context.Request.RouteValues.ContainsKey(name) ? "path"
        : "body";

    [GeneratedRegex("parameter \"(?:[^\"]*\\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterPattern();
}
