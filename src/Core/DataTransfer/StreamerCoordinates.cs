using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.DataTransfer;

/// <summary>
/// Where the client finds a streamer transfer job (<c>transferDirectives.coordinates</c>): base64url, with <c>=</c>
/// padding, of the UTF-8 JSON <c>{"ports":[first,last],"ips":[...],"secret":"..."}</c>. The client tries every
/// address in order, each port of the range in order, with <c>Authorization: Bearer secret</c>.
/// </summary>
/// <param name="Ports">First and last port of the range the job binds in.</param>
/// <param name="Ips">Addresses to try, in order.</param>
/// <param name="Secret">The one transfer's secret.</param>
/// <param name="Operation">Optional <c>send</c> or <c>receive</c> (the job's side), as upstream's client understands it.</param>
public sealed record StreamerCoordinates(
    [property: JsonPropertyName("ports")] IReadOnlyList<int> Ports,
    [property: JsonPropertyName("ips")] IReadOnlyList<string> Ips,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("operation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Operation = null)
{
    /// <summary>A fresh secret: 16 random bytes as unpadded base64url text (as upstream's <c>token_urlsafe(16)</c>).</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(16)).TrimEnd('=');

    /// <summary>The coordinates' text.</summary>
    public string Encode() => Base64Url(JsonSerializer.SerializeToUtf8Bytes(this, CoreJsonContext.Default.StreamerCoordinates));

    /// <summary>Reads coordinates (with or without padding).</summary>
    /// <exception cref="HpcException">Not coordinates: <see cref="HpcErrorKind.Internal"/> naming the problem.</exception>
    public static StreamerCoordinates Decode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw Bad("they are empty");
        StreamerCoordinates? c;
        try
        {
            var b64 = text.Trim().Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            c = JsonSerializer.Deserialize(Convert.FromBase64String(b64), CoreJsonContext.Default.StreamerCoordinates);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Bad(e.Message);
        }
        if (c is null || c.Ports is not { Count: 2 } p || p[0] < 1 || p[1] > 65535 || p[0] > p[1]) throw Bad("no valid port range");
        if (c.Ips is not { Count: > 0 } || c.Ips.Any(string.IsNullOrWhiteSpace)) throw Bad("no address");
        if (string.IsNullOrEmpty(c.Secret)) throw Bad("no secret");
        return c;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

    private static HpcException Bad(string why) => new(HpcErrorKind.Internal, $"The streamer coordinates are not valid: {why}.");
}
