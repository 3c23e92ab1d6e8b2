using System.Globalization;

namespace Firecrest.Core.Client;

/// <summary>Small helpers to build FirecREST paths and query values.</summary>
internal static class Routes
{
    /// <summary>A path segment (system name, job id), escaped; an empty one is refused.</summary>
    public static string Segment(string value, string what = "system")
    {
        if (string.IsNullOrWhiteSpace(value)) throw new HpcException(HpcErrorKind.InvalidArgument, $"The {what} name must not be empty.");
        return Uri.EscapeDataString(value);
    }

    /// <summary>A boolean as FirecREST reads it.</summary>
    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A number, or null to leave the parameter out.</summary>
    public static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
