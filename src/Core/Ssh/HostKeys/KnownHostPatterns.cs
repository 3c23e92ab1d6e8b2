using System.Security.Cryptography;
using System.Text;

namespace Firecrest.Core.Ssh.HostKeys;

/// <summary>
/// Host matching as OpenSSH does it for known_hosts: the looked-up name is <c>host</c> on port 22 and
/// <c>[host]:port</c> otherwise; patterns are comma-separated, may use <c>*</c> and <c>?</c>, a leading <c>!</c>
/// negates; a hashed field <c>|1|base64(salt)|base64(HMAC-SHA1(salt, name))</c> matches one exact name.
/// </summary>
public static class KnownHostPatterns
{
    /// <summary>The name OpenSSH looks up for <paramref name="host"/> and <paramref name="port"/>.</summary>
    public static string LookupName(string host, int port) =>
        port == 22 ? host.ToLowerInvariant() : $"[{host.ToLowerInvariant()}]:{port}";

    /// <summary>True when <paramref name="field"/> (the first column of a known_hosts line) names the host.</summary>
    public static bool Matches(string field, string host, int port)
    {
        var name = LookupName(host, port);
        if (field.StartsWith("|1|", StringComparison.Ordinal)) return HashedMatches(field, name);
        var matched = false;
        foreach (var raw in field.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var negated = raw.StartsWith('!');
            var pattern = (negated ? raw[1..] : raw).ToLowerInvariant();
            if (!Wildcard(pattern, name)) continue;
            if (negated) return false;
            matched = true;
        }
        return matched;
    }

    /// <summary>Hashes <paramref name="name"/> with <paramref name="salt"/> as OpenSSH's <c>HashKnownHosts</c> does.</summary>
    public static string Hash(string name, byte[] salt)
    {
        var mac = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name));
        return $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(mac)}";
    }

    private static bool HashedMatches(string field, string name)
    {
        var parts = field.Split('|');
        if (parts.Length != 4) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name));
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool Wildcard(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
            else if (star >= 0) { p = star + 1; t = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
