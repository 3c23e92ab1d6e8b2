using System.Text.Json;
using Firecrest.Core.Configuration;
using Firecrest.Core.Models;
using Firecrest.Server.Tests.Infrastructure;
using Firecrest.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;
using static Firecrest.Server.Tests.Deployment.Manifests;

namespace Firecrest.Server.Tests.Deployment;

/// <summary>
/// deploy/kubernetes checked offline against the server: well-formed YAML, probes on real routes, ports that agree
/// with the Dockerfile and the Service, a ConfigMap the project's loader accepts, Secrets referenced by declared names.
/// </summary>
public sealed class DeploymentManifestTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("f7t-deploy-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static YamlMappingNode Server => Object("Deployment", "firecrest");

    private static YamlMappingNode ServerContainer => Container(Server, "firecrest");

    [Fact]
    public void Every_manifest_is_well_formed_and_listed_in_its_kustomization()
    {
        var files = Files();
        Assert.Contains(files, f => f.EndsWith("deployment.yaml", StringComparison.Ordinal));
        foreach (var (file, doc) in Objects())
        {
            Assert.False(string.IsNullOrEmpty(Str(doc, "apiVersion")), $"{file}: apiVersion");
            Assert.False(string.IsNullOrEmpty(Str(doc, "kind")), $"{file}: kind");
            Assert.False(string.IsNullOrEmpty(Str(doc, "metadata", "name")), $"{file}: metadata.name");
            Assert.NotEqual("Secret", Str(doc, "kind")); // secret values never live in the repository
        }
        foreach (var (file, kustomization) in Kustomizations())
        {
            var dir = Path.GetDirectoryName(file)!;
            var listed = Seq(kustomization, "resources").Select(r => ((YamlScalarNode)r).Value!).ToList();
            foreach (var resource in listed) Assert.True(File.Exists(Path.Combine(dir, resource)), $"{file}: {resource} does not exist");
            var beside = Directory.EnumerateFiles(dir, "*.yaml").Select(Path.GetFileName).Where(n => n != "kustomization.yaml");
            Assert.Equal(beside.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Probes_use_routes_of_the_server_on_the_container_port()
    {
        var container = ServerContainer;
        Assert.Equal("/status/liveness/", Str(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/status/readiness/", Str(container, "readinessProbe", "httpGet", "path"));
        var probes = new[] { "startupProbe", "livenessProbe", "readinessProbe" }.Select(p => At(container, p)).OfType<YamlMappingNode>().ToList();
        Assert.Equal(3, probes.Count);

        using var factory = new FirecrestFactory();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .ToHashSet();
        using var openApi = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("docs", "openapi.json")));
        factory.Engine.Runs["cluster"] = DateTimeOffset.UtcNow;
        var client = factory.CreateClient();
        foreach (var probe in probes)
        {
            var path = Str(probe, "httpGet", "path")!;
            Assert.Contains(path.TrimEnd('/'), routes);
            Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty(path.TrimEnd('/'), out _), $"{path} is not in docs/openapi.json");
            Assert.Equal(ListeningPort(), Port(container, Str(probe, "httpGet", "port")!));
            // No token: a probe sends none.
            await (await client.GetAsync(path)).AssertStatus(200);
        }
    }

    [Fact]
    public void Container_port_agrees_with_the_Dockerfile_and_the_Service()
    {
        var docker = Dockerfile.Load();
        var port = ListeningPort();
        Assert.Equal(port.ToString(), Assert.Single(docker.FinalStage, i => i.Op == "EXPOSE").Args);
        Assert.Equal("", docker.Env["ASPNETCORE_HTTP_PORTS"]);
        var container = ServerContainer;
        Assert.Equal(port, Port(container, "http"));

        var service = Object("Service", "firecrest");
        var servicePort = (YamlMappingNode)Seq(service, "spec", "ports").Single();
        Assert.Equal(port, Port(container, Str(servicePort, "targetPort")!));
        var podLabels = ((YamlMappingNode)At(Server, "spec", "template", "metadata", "labels")!).Children;
        foreach (var (key, value) in ((YamlMappingNode)At(service, "spec", "selector")!).Children)
            Assert.Equal(value, podLabels[key]);
    }

    [Fact]
    public void ConfigMap_configuration_loads_with_the_projects_loader_from_the_mounted_files()
    {
        var files = MountedFiles();
        var configPath = EnvValue(ServerContainer, "YAML_CONFIG_FILE");
        Assert.Equal(configPath, Dockerfile.Load().Env["YAML_CONFIG_FILE"]);
        Assert.True(files.ContainsKey(configPath), $"YAML_CONFIG_FILE {configPath} is not a mounted file");

        var result = FirecrestConfigLoader.LoadFromYaml(Materialise(files, configPath), sourcePath: configPath);

        Assert.Empty(result.Warnings);
        var settings = result.Settings;
        var cluster = Assert.Single(settings.Clusters);
        Assert.Equal(SchedulerType.Slurm, cluster.Scheduler.Type);
        Assert.Equal(SchedulerConnectionMode.Ssh, cluster.Scheduler.ConnectionMode);
        Assert.Equal(TransferMethod.S3, cluster.DataOperation.DataTransfer?.ServiceType);
        Assert.Equal([HealthServiceType.Ssh, HealthServiceType.Scheduler, HealthServiceType.Filesystem, HealthServiceType.S3], cluster.Probing.Services!.Keys);
        // The secret values come from the Secret volumes, through secret_file: and file paths.
        Assert.Equal(files["/var/run/secrets/firecrest/s3/secret_access_key"], cluster.DataOperation.DataTransfer!.SecretAccessKey);
        Assert.Equal(files["/var/run/secrets/firecrest/service-account/client_secret"], cluster.ServiceAccount!.Secret);
        Assert.Equal(SshCredentialsType.SshCa, settings.SshCredentials.Type);
        Assert.Equal(_root + "/var/run/secrets/firecrest/ssh-ca/ca_key", settings.SshCredentials.CaPrivateKey);
        Assert.Equal(_root + "/etc/firecrest/known_hosts", cluster.Ssh.KnownHostsFile);
    }

    [Fact]
    public void ConfigMap_configuration_fails_to_load_when_a_secret_it_names_is_not_mounted()
    {
        var files = MountedFiles();
        files.Remove("/var/run/secrets/firecrest/s3/secret_access_key");
        var configPath = EnvValue(ServerContainer, "YAML_CONFIG_FILE");
        var error = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.LoadFromYaml(Materialise(files, configPath)));
        Assert.Contains("secret_access_key", error.Message);
    }

    [Fact]
    public void Every_referenced_Secret_and_key_is_declared_by_a_kustomization()
    {
        var declared = Kustomizations()
            .SelectMany(k => Seq(k.Doc, "secretGenerator"))
            .ToDictionary(g => Str(g, "name")!, g => Seq(g, "files").Select(f => GeneratedKey(((YamlScalarNode)f).Value!)).ToHashSet());
        var references = new List<(string Name, string? Key)>();
        foreach (var (_, doc) in Objects())
            foreach (var map in Mappings(doc))
            {
                if (Str(map, "secret", "secretName") is { } volumeSecret)
                {
                    var items = Seq(map, "secret", "items").Select(i => Str(i, "key")).ToList();
                    Assert.NotEmpty(items); // listed keys make a missing key fail the pod start instead of a silent empty mount
                    references.AddRange(items.Select(k => (volumeSecret, k)));
                }
                if (Str(map, "secretKeyRef", "name") is { } envSecret) references.Add((envSecret, Str(map, "secretKeyRef", "key")));
                if (Str(map, "secretRef", "name") is { } envFromSecret) references.Add((envFromSecret, null));
            }

        Assert.Contains(("firecrest-redis", "password"), references);
        Assert.Contains(("firecrest-s3", "secret_access_key"), references);
        foreach (var (name, key) in references)
        {
            Assert.True(declared.TryGetValue(name, out var keys), $"Secret {name} is referenced but no kustomization declares it");
            if (key is not null) Assert.True(keys.Contains(key), $"Secret {name} has no key {key} (declared: {string.Join(", ", keys)})");
        }
    }

    [Fact]
    public void Workloads_run_non_root_read_only_without_privilege_escalation_with_resources()
    {
        var workloads = Objects().Where(o => Str(o.Doc, "kind") == "Deployment").ToList();
        Assert.Equal(2, workloads.Count);
        foreach (var (file, workload) in workloads)
        {
            Assert.Equal("true", Str(workload, "spec", "template", "spec", "securityContext", "runAsNonRoot"));
            Assert.Equal("false", Str(workload, "spec", "template", "spec", "automountServiceAccountToken"));
            foreach (YamlMappingNode c in Seq(workload, "spec", "template", "spec", "containers"))
            {
                var name = $"{file}: {Str(c, "name")}";
                Assert.True(Str(c, "securityContext", "readOnlyRootFilesystem") == "true", $"{name}: readOnlyRootFilesystem");
                Assert.True(Str(c, "securityContext", "allowPrivilegeEscalation") == "false", $"{name}: allowPrivilegeEscalation");
                Assert.True(Str(c, "securityContext", "runAsNonRoot") == "true", $"{name}: runAsNonRoot");
                Assert.Contains("ALL", Seq(c, "securityContext", "capabilities", "drop").Select(d => ((YamlScalarNode)d).Value));
                Assert.NotNull(Str(c, "resources", "requests", "cpu"));
                Assert.NotNull(Str(c, "resources", "requests", "memory"));
                Assert.NotNull(Str(c, "resources", "limits", "memory"));
                Assert.NotNull(At(c, "readinessProbe"));
                Assert.NotNull(At(c, "livenessProbe"));
            }
        }
        // The pod runs as the image's user, which is not root.
        var user = Dockerfile.Load().FinalStage.Single(i => i.Op == "USER").Args;
        Assert.Equal(user, Str(Server, "spec", "template", "spec", "securityContext", "runAsUser"));
        // The one writable path is the emptyDir at /tmp the Dockerfile points TMPDIR to.
        var tmp = Seq(ServerContainer, "volumeMounts").Single(m => Str(m, "mountPath") == "/tmp");
        Assert.NotNull(At(Volume(Str(tmp, "name")!), "emptyDir"));
        Assert.Equal("/tmp", Dockerfile.Load().Env["TMPDIR"]);
    }

    [Fact]
    public void The_server_runs_one_replica_until_state_is_shared()
    {
        Assert.Equal("1", Str(Server, "spec", "replicas"));
        var main = Kustomizations().Single(k => Path.GetDirectoryName(k.File) == Folder).Doc;
        Assert.DoesNotContain(Seq(main, "resources"), r => ((YamlScalarNode)r).Value!.Contains("redis", StringComparison.Ordinal));
    }

    /// <summary>The port of ASPNETCORE_URLS in the Dockerfile.</summary>
    private static int ListeningPort()
    {
        var url = Dockerfile.Load().Env["ASPNETCORE_URLS"];
        Assert.DoesNotContain(";", url);
        return new Uri(url.Replace("+", "localhost", StringComparison.Ordinal)).Port;
    }

    private static string EnvValue(YamlMappingNode container, string name) =>
        Str(Seq(container, "env").Single(e => Str(e, "name") == name), "value")!;

    private static YamlMappingNode Volume(string name) =>
        Seq(Server, "spec", "template", "spec", "volumes").Cast<YamlMappingNode>().Single(v => Str(v, "name") == name);

    /// <summary>A secretGenerator entry's key: <c>key=path</c>, or the file name of <c>path</c>.</summary>
    private static string GeneratedKey(string entry) => entry.Contains('=') ? entry[..entry.IndexOf('=')] : Path.GetFileName(entry);

    /// <summary>
    /// Every file the server's pod sees from its ConfigMap and Secret volumes, by path in the pod: the ConfigMap's
    /// text, for a Secret a distinct stand-in value (the real ones are never in the repository).
    /// </summary>
    private static Dictionary<string, string> MountedFiles()
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in Seq(ServerContainer, "volumeMounts"))
        {
            var volume = Volume(Str(mount, "name")!);
            var mountPath = Str(mount, "mountPath")!;
            if (At(volume, "configMap") is { } cm)
            {
                var data = (YamlMappingNode)At(Object("ConfigMap", Str(cm, "name")!), "data")!;
                foreach (var item in Seq(cm, "items"))
                    files[$"{mountPath}/{Str(item, "path")}"] = ((YamlScalarNode)data[Str(item, "key")!]).Value!;
            }
            else if (At(volume, "secret") is { } secret)
            {
                foreach (var item in Seq(secret, "items"))
                    files[$"{mountPath}/{Str(item, "path")}"] = $"stand-in for {Str(secret, "secretName")}/{Str(item, "key")}";
            }
        }
        return files;
    }

    /// <summary>Writes <paramref name="files"/> under the temporary root; returns the configuration text with their paths moved there.</summary>
    private string Materialise(Dictionary<string, string> files, string configPath)
    {
        foreach (var (podPath, content) in files)
        {
            var local = _root + podPath;
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            File.WriteAllText(local, content);
        }
        var text = files[configPath];
        foreach (var podPath in files.Keys.Where(k => k != configPath).OrderByDescending(k => k.Length))
            text = text.Replace(podPath, _root + podPath, StringComparison.Ordinal);
        // Paths of files that are not mounted stay in the pod's layout, where the loader finds nothing.
        return text;
    }
}
