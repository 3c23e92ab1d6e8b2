using Firecrest.Server.Errors;

namespace Firecrest.Server.Apis;

/// <summary>Input checks of the handlers; failures are 400 validation errors with <c>data.fields</c>.</summary>
public static class Require
{
    /// <summary>Returns <paramref name="value"/>, or throws "Field required" for <paramref name="name"/> in <paramref name="location"/>.</summary>
    public static string Present(string? value, string location, string name) =>
        string.IsNullOrEmpty(value) ? throw new RequestValidationException(location, name, "Field required") : value;

    /// <summary>Returns the body, or throws "Field required" for the body.</summary>
    public static T Body<T>(T? body) where T : class =>
        body ?? throw new RequestValidationException("body", "body", "Field required");

    /// <summary>Parses the <c>job_id</c> path segment (the grammar of <see cref="Core.Models.JobId"/>).</summary>
    public static Core.Models.JobId JobId(string? jobId)
    {
        try { return Core.Models.JobId.Parse(jobId, "job_id"); }
        catch (Core.HpcException e) { throw new RequestValidationException("path", "job_id", e.Message); }
    }

    /// <summary>Checks that <paramref name="value"/> is not longer than <paramref name="max"/>.</summary>
    public static string? MaxLength(string? value, int max, string location, string name) => value is { } v && v.Length > max
        ? throw new RequestValidationException(location, name, $"String should have at most {max} characters")
        : value;

    /// <summary>Checks that <paramref name="value"/> is one of <paramref name="allowed"/>.</summary>
    public static string? OneOf(string? value, IReadOnlyCollection<string> allowed, string location, string name) =>
        value is null || allowed.Contains(value)
            ? value
            : throw new RequestValidationException(location, name, $"Input should be {string.Join(", ", allowed.Select(a => $"'{a}'"))}");
}
