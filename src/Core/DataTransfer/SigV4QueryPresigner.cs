using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Firecrest.Core.DataTransfer;

/// <summary>
/// AWS Signature Version 4 presigning in the query string (S3, <c>UNSIGNED-PAYLOAD</c>, signed header <c>host</c>).
/// AWSSDK.S3 cannot presign a POST (its <c>HttpVerb</c> has no POST), which the CompleteMultipartUpload URL needs.
/// </summary>
public static class SigV4QueryPresigner
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Builds a presigned URL.</summary>
    /// <param name="method">HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="endpoint">Endpoint URL (scheme, host, port; a path prefix is kept).</param>
    /// <param name="objectPath">Unencoded path under the endpoint, e.g. <c>bucket/key with space</c>.</param>
    /// <param name="query">Extra unencoded query parameters (e.g. <c>uploadId</c>).</param>
    /// <param name="accessKey">Access key id.</param>
    /// <param name="secretKey">Secret key.</param>
    /// <param name="region">Region of the credential scope.</param>
    /// <param name="now">Signing time (UTC).</param>
    /// <param name="expiresSeconds">Lifetime in seconds (1..604800).</param>
    public static string Presign(string method, Uri endpoint, string objectPath, IReadOnlyDictionary<string, string> query,
        string accessKey, string secretKey, string region, DateTime now, int expiresSeconds)
    {
        if (expiresSeconds is < 1 or > 604800)
            throw new HpcException(HpcErrorKind.InvalidArgument, "Presigned URL lifetime must be between 1 s and 7 days.");
        var amzDate = now.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var dateStamp = amzDate[..8];
        var scope = $"{dateStamp}/{region}/s3/aws4_request";
        var all = new Dictionary<string, string>(query, StringComparer.Ordinal)
        {
            ["X-Amz-Algorithm"] = Algorithm,
            ["X-Amz-Credential"] = $"{accessKey}/{scope}",
            ["X-Amz-Date"] = amzDate,
            ["X-Amz-Expires"] = expiresSeconds.ToString(CultureInfo.InvariantCulture),
            ["X-Amz-SignedHeaders"] = "host",
        };
        var canonicalQuery = CanonicalQuery(all);
        var canonicalUri = CanonicalUri(endpoint, objectPath);
        var canonicalRequest = CanonicalRequest(method, canonicalUri, canonicalQuery, HostHeader(endpoint));
        var signature = Sign(secretKey, dateStamp, region, StringToSign(amzDate, scope, canonicalRequest));
        var authority = endpoint.GetLeftPart(UriPartial.Authority);
        return $"{authority}{canonicalUri}?{canonicalQuery}&X-Amz-Signature={signature}";
    }

    /// <summary>The canonical request of SigV4 (exposed for the test vectors).</summary>
    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery, string host) =>
        $"{method}\n{canonicalUri}\n{canonicalQuery}\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD";

    /// <summary>The string to sign of SigV4.</summary>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>Hex HMAC-SHA256 signature with the derived signing key.</summary>
    public static string Sign(string secretKey, string dateStamp, string region, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), dateStamp);
        key = Hmac(key, region);
        key = Hmac(key, "s3");
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    /// <summary>Sorted, RFC 3986 encoded query string.</summary>
    public static string CanonicalQuery(IReadOnlyDictionary<string, string> query) =>
        string.Join('&', query.Select(kv => (K: UriEncode(kv.Key, true), V: UriEncode(kv.Value, true)))
            .OrderBy(p => p.K, StringComparer.Ordinal).ThenBy(p => p.V, StringComparer.Ordinal)
            .Select(p => $"{p.K}={p.V}"));

    /// <summary>Encodes every byte except the RFC 3986 unreserved characters (and <c>/</c> unless <paramref name="encodeSlash"/>).</summary>
    public static string UriEncode(string value, bool encodeSlash)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~' || (c == '/' && !encodeSlash))
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string CanonicalUri(Uri endpoint, string objectPath)
    {
        var prefix = endpoint.AbsolutePath.TrimEnd('/');
        return prefix + "/" + UriEncode(objectPath.TrimStart('/'), encodeSlash: false);
    }

    private static string HostHeader(Uri endpoint) => endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
