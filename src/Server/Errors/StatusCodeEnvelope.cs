namespace Firecrest.Server.Errors;

/// <summary>Gives bodiless error answers of the framework (404 unknown route, 405, 415, …) the error envelope.</summary>
public static class StatusCodeEnvelope
{
    /// <summary>Adds the status-code-pages handler that writes the envelope.</summary>
    public static IApplicationBuilder UseStatusCodeEnvelope(this IApplicationBuilder app) =>
        app.UseStatusCodePages(ctx => ErrorWriter.WriteStatusAsync(ctx.HttpContext, ctx.HttpContext.Response.StatusCode));
}
