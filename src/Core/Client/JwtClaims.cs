using System.Text;
using System.Text.Json;

namespace Firecrest.Core.Client;

/// <summary>Reads claims from the payload of a compact JWT without checking its signature (the token came straight from the issuer).</summary>
public static class JwtClaims
{
    /// <summary>The string value of <paramref name="claim"/>, or null when the token has no such string claim.</summary>
    /// <exception cref="HpcException"><see cref="HpcErrorKind.Unauthenticated"/> when the token is not a JWT.</exception>
    public static string? GetString(string token, string claim)
    {
        using var payload = ReadPayload(token);
        return payload.RootElement.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>The <c>exp</c> claim as a time, or null when absent.</summary>
    /// <exception cref="HpcException"><see cref="HpcErrorKind.Unauthenticated"/> when the token is not a JWT.</exception>
    public static DateTimeOffset? GetExpiry(string token)
    {
        using var payload = ReadPayload(token);
        return payload.RootElement.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }

    private static JsonDocument ReadPayload(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) throw NotAJwt(null);
        try
        {
            var b64 = parts[1].Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
            doc.Dispose();
            throw NotAJwt(null);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw NotAJwt(e);
        }
    }

    private static HpcException NotAJwt(Exception? inner) =>
        new(HpcErrorKind.Unauthenticated, "The access token is not a JWT (expected three base64url parts with a JSON payload).", inner);
}
