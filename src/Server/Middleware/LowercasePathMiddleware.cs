namespace Firecrest.Server.Middleware;

/// <summary>Lower-cases the whole URL path before routing (upstream middleware: system names are case-insensitive).</summary>
public sealed class LowercasePathMiddleware(RequestDelegate next)
{
    /// <summary>Lower-cases the path and continues.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Value is { } path) context.Request.Path = new PathString(path.ToLowerInvariant());
        return next(context);
    }
}
