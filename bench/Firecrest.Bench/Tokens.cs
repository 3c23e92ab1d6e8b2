using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Firecrest.Bench;

/// <summary>Access tokens of the demo OIDC clients (client credentials grant), one fresh token per call.</summary>
public sealed class Tokens(ClusterEnv env, HttpClient http)
{
    /// <summary>A fresh access token acting as <paramref name="user"/>.</summary>
    public async Task<string> ForAsync(string user, CancellationToken cancellationToken)
    {
        var (id, secret) = env.ClientOf(user);
        using var req = new HttpRequestMessage(HttpMethod.Post, env["OIDC_TOKEN_URL"])
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
        using var resp = await http.SendAsync(req, cancellationToken);
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(cancellationToken));
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }
}
