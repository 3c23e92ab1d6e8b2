using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Firecrest.Server.Tests.Infrastructure;

internal static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> Body(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status and that the body is the error envelope; returns the body.</summary>
    public static async Task<JsonElement> AssertError(this HttpResponseMessage response, int status, string? message = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(["errorType", "message", "causedBy", "data", "user"], body.EnumerateObject().Select(p => p.Name).ToArray());
        if (message is not null) Assert.Equal(message, body.GetProperty("message").GetString());
        return body;
    }

    public static async Task<JsonElement> AssertStatus(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string[] Keys(this JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    public static Task<HttpResponseMessage> SendJson(this HttpClient client, HttpMethod method, string url, string json) =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = Json(json) });
}
