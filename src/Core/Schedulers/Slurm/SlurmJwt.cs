using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>Mints the HS256 tokens Slurm's auth/jwt accepts (what <c>scontrol token</c> does): claims <c>exp</c>, <c>iat</c>, <c>sun</c>.</summary>
public static class SlurmJwt
{
    /// <summary>Creates a token for <paramref name="username"/> signed with <paramref name="key"/>, valid for <paramref name="lifetime"/>.</summary>
    public static string Mint(byte[] key, string username, DateTimeOffset now, TimeSpan lifetime)
    {
        var header = Base64Url(Json(w =>
        {
            w.WriteString("alg", "HS256");
            w.WriteString("typ", "JWT");
        }));
        var payload = Base64Url(Json(w =>
        {
            w.WriteNumber("exp", (now + lifetime).ToUnixTimeSeconds());
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteString("sun", username);
        }));
        var signingInput = header + "." + payload;
        var signature = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url(signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            members(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Base64url without padding.</summary>
    public static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
