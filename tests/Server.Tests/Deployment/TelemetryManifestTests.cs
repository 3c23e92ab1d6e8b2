using System.Net;
using System.Reflection;
using Firecrest.Server.Hosting;
using Firecrest.Server.Hosting.Telemetry;
using Firecrest.Server.Tests.Infrastructure;
using Firecrest.Tests.Support;
using YamlDotNet.RepresentationModel;
using static Firecrest.Server.Tests.Deployment.Manifests;

namespace Firecrest.Server.Tests.Deployment;

/// <summary>
/// The Deployment's server settings and metrics port checked against the server: every <c>Section__Key</c> variable
/// names a setting the server binds, and a server configured from those variables serves <c>/metrics</c> on the port
/// the pod declares and Prometheus is pointed at, not on the port the Service exposes.
/// </summary>
public sealed class TelemetryManifestTests
{
    private static YamlMappingNode Server => Object("Deployment", "firecrest");

    private static YamlMappingNode ServerContainer => Container(Server, "firecrest");

    /// <summary>The container's plain environment variables (name, value).</summary>
    private static Dictionary<string, string> Env() => Seq(ServerContainer, "env")
        .Where(e => Str(e, "value") is not null)
        .ToDictionary(e => Str(e, "name")!, e => Str(e, "value")!);

    /// <summary>The options class each configuration section of the server binds.</summary>
    private static readonly Dictionary<string, Type> Sections = new()
    {
        [ServerOptions.Section] = typeof(ServerOptions),
        [TelemetryOptions.Section] = typeof(TelemetryOptions),
    };

    [Fact]
    public void Every_section_variable_names_a_setting_the_server_binds()
    {
        var variables = Env().Keys.Where(k => k.Contains("__", StringComparison.Ordinal)).ToList();
        Assert.Contains(variables, v => v.StartsWith("Telemetry__", StringComparison.Ordinal));
        foreach (var name in variables)
        {
            var path = name.Split("__");
            if (path[0] == "Logging") continue; // the framework's log levels: any category is valid
            Assert.True(Sections.TryGetValue(path[0], out var type), $"{name}: no server setting section '{path[0]}'");
            foreach (var segment in path.Skip(1))
            {
                if (int.TryParse(segment, out _))
                {
                    Assert.True(type!.IsGenericType, $"{name}: '{segment}' indexes a setting that is not a list");
                    type = type.GetGenericArguments()[0];
                    continue;
                }
                var property = type!.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                Assert.True(property is { CanWrite: true }, $"{name}: {type.Name} has no setting '{segment}'");
                type = Nullable.GetUnderlyingType(property!.PropertyType) ?? property.PropertyType;
            }
        }
    }

    [Fact]
    public void The_metrics_port_is_declared_listened_on_annotated_for_Prometheus_and_not_exposed_by_the_Service()
    {
        var env = Env();
        var metricsPort = int.Parse(env["Telemetry__Prometheus__Port"]);
        Assert.Equal(metricsPort, Port(ServerContainer, "metrics"));
        var urls = env["ASPNETCORE_URLS"].Split(';').Select(u => new Uri(u.Replace("+", "localhost", StringComparison.Ordinal)).Port).ToList();
        Assert.Equal([Port(ServerContainer, "http"), metricsPort], urls);
        Assert.Equal(urls[0], new Uri(Dockerfile.Load().Env["ASPNETCORE_URLS"].Replace("+", "localhost", StringComparison.Ordinal)).Port);

        var annotations = At(Server, "spec", "template", "metadata", "annotations");
        Assert.Equal("true", Str(annotations, "prometheus.io/scrape"));
        Assert.Equal(metricsPort.ToString(), Str(annotations, "prometheus.io/port"));
        Assert.Equal(TelemetrySetup.MetricsPath, Str(annotations, "prometheus.io/path"));

        foreach (var servicePort in Seq(Object("Service", "firecrest"), "spec", "ports"))
            Assert.NotEqual(metricsPort, Port(ServerContainer, Str(servicePort, "targetPort")!));
        // The allow-list parses as the server parses it.
        Assert.True(new MetricsAllowList(env.Where(kv => kv.Key.StartsWith("Telemetry__Prometheus__AllowedNetworks__", StringComparison.Ordinal)).Select(kv => kv.Value)).Count > 0);
    }

    [Fact]
    public async Task A_server_configured_like_the_pod_serves_metrics_on_the_metrics_port_only()
    {
        var env = Env();
        var settings = env.Where(kv => kv.Key.StartsWith("Telemetry__", StringComparison.Ordinal) || kv.Key.StartsWith("Server__", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv.Value);
        using var f = new FirecrestFactory(serverSettings: settings);
        var scraper = IPAddress.Parse(env["Telemetry__Prometheus__AllowedNetworks__0"].Split('/')[0]);
        HttpClient On(string portName) => new(f.Server.CreateHandler(c =>
        {
            c.Connection.RemoteIpAddress = scraper;
            c.Connection.LocalPort = Port(ServerContainer, portName);
        })) { BaseAddress = f.Server.BaseAddress };
        using var metrics = On("metrics");
        using var http = On("http");

        using (var scrape = await metrics.GetAsync(Str(At(Server, "spec", "template", "metadata", "annotations"), "prometheus.io/path")))
        {
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.NotNull(PrometheusText.Parse(await scrape.Content.ReadAsStringAsync()));
        }
        await (await http.GetAsync(TelemetrySetup.MetricsPath)).AssertError(404);
        await (await http.GetAsync(Str(ServerContainer, "livenessProbe", "httpGet", "path"))).AssertStatus(200);
    }
}
