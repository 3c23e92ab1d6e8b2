using System.Text.RegularExpressions;

namespace Firecrest.Server.Logging;

/// <summary>
/// Hides the values of secret-looking query parameters in text that may hold a URL: <c>access_token</c>, any
/// <c>…token</c>, <c>…secret</c>, <c>…signature</c>, <c>sig</c>, <c>password</c>, <c>AWSAccessKeyId</c> and every
/// <c>X-Amz-*</c> parameter of a presigned URL become <c>name=***</c>.
/// </summary>
public static partial class QueryRedaction
{
    /// <summary>What replaces a hidden value.</summary>
    public const string Mask = "***";

    /// <summary><paramref name="text"/> with the secret query values masked (the same instance when there is none).</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('=') ? Secret().Replace(text, m => m.Groups["name"].Value + "=" + Mask) : text;
    }

    // A parameter starts after '?', '&', ';' or a JSON-escaped '&' (&), or at the start of a bare query value; its
    // value ends at '&', '#', a backslash, white space or a quote.
    [GeneratedRegex("""(?<=^|[?&;]|\\u0026)(?<name>(?:[A-Za-z0-9_.\-]*(?:token|secret|signature|password|passwd))|sig|AWSAccessKeyId|X-Amz-[A-Za-z0-9\-]+)=[^&#\\\s"'<>]*""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secret();
}
