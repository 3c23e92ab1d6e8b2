using System.Xml.Linq;
using Firecrest.Tests.Support;

namespace Firecrest.Server.Tests.Deployment;

/// <summary>deploy/Dockerfile compiles the server project to native code and runs the executable as a non-root user.</summary>
public sealed class DockerfileTests
{
    private static readonly string ServerProject = "src/Server/Firecrest.Server.csproj";

    [Fact]
    public void Publishes_the_server_project_natively_and_runs_the_executable_on_the_matching_runtime_dependencies()
    {
        var docker = Dockerfile.Load();
        var project = XDocument.Load(RepositoryRoot.Combine(ServerProject));
        var assembly = project.Descendants("AssemblyName").Single().Value;
        var framework = project.Descendants("TargetFramework").Single().Value;

        Assert.Equal("true", project.Descendants("PublishAot").Single().Value);
        var publish = Assert.Single(docker.Instructions, i => i.Op == "RUN" && i.Args.StartsWith($"dotnet publish {ServerProject} ", StringComparison.Ordinal));
        Assert.Contains(" -o /app ", publish.Args, StringComparison.Ordinal);
        Assert.Contains(" -r linux-x64 ", publish.Args, StringComparison.Ordinal);
        Assert.Contains(docker.Instructions, i => i.Op == "RUN" && i.Args.Contains("apt-get install", StringComparison.Ordinal) && i.Args.Contains(" clang ", StringComparison.Ordinal));
        Assert.Equal(["/app/" + assembly], docker.Entrypoint);
        var stages = docker.Instructions.Where(i => i.Op == "FROM").Select(i => i.Args).ToList();
        Assert.True(stages.Count >= 2, "multi-stage: an SDK stage builds, a runtime stage runs");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", stages[0]);
        Assert.Equal($"mcr.microsoft.com/dotnet/runtime-deps:{framework["net".Length..]}", stages[^1].Split(' ')[0]);
        Assert.Contains(docker.FinalStage, i => i.Op == "COPY" && i.Args.StartsWith("--from=build ", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_variable_the_image_sets_is_in_the_deployment_guide_with_the_same_default()
    {
        var guide = File.ReadAllLines(RepositoryRoot.Combine("docs", "deployment.md"));
        foreach (var (name, value) in Dockerfile.Load().Env)
        {
            var documented = value.Length == 0 ? "empty" : $"`{value}`";
            Assert.True(guide.Any(l => l.StartsWith($"| `{name}` | {documented} |", StringComparison.Ordinal)),
                $"docs/deployment.md has no row | `{name}` | {documented} | in its table of environment variables");
        }
    }

    [Fact]
    public void No_runtime_variable_of_the_image_or_the_guide_has_a_hexadecimal_prefix()
    {
        // The native server reads the number of a DOTNET_ variable as hexadecimal digits and ignores a value with 0x,
        // without a word: the setting would silently not apply.
        var prefixed = new System.Text.RegularExpressions.Regex(@"DOTNET_\w+[=`| ]+`?0[xX]");
        foreach (var (name, value) in Dockerfile.Load().Env)
            Assert.False(name.StartsWith("DOTNET_", StringComparison.Ordinal) && value.StartsWith("0x", StringComparison.OrdinalIgnoreCase), $"ENV {name}={value}");
        foreach (var line in File.ReadAllLines(RepositoryRoot.Combine("docs", "deployment.md")))
            Assert.False(prefixed.IsMatch(line), $"docs/deployment.md: {line}");
    }

    [Fact]
    public void Runs_as_a_numeric_non_root_user()
    {
        var user = Dockerfile.Load().FinalStage.Single(i => i.Op == "USER").Args;
        Assert.True(int.TryParse(user, out var uid), $"USER {user} must be numeric so that runAsNonRoot can verify it");
        Assert.NotEqual(0, uid);
    }

    [Fact]
    public void Holds_no_secret_and_copies_none_into_the_image()
    {
        var docker = Dockerfile.Load();
        var secretName = new System.Text.RegularExpressions.Regex("(?i)(password|passwd|secret|token|api_?key|private_?key|credential)");
        foreach (var (op, args) in docker.Instructions.Where(i => i.Op is "ENV" or "ARG"))
            Assert.False(secretName.IsMatch(args), $"{op} {args}: secrets are mounted at run time, never set in the image");
        Assert.DoesNotContain(docker.Instructions, i => i.Op == "ADD"); // no remote downloads or archive magic
        foreach (var source in docker.ContextCopies)
            Assert.False(source.Contains("secret", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".pem", StringComparison.Ordinal)
                || source.EndsWith(".key", StringComparison.Ordinal) || source.Contains(".env", StringComparison.Ordinal) || source.Contains(".testenv", StringComparison.Ordinal),
                $"COPY {source}: looks like a secret");
        // The configuration and its secrets are mounted, not baked in.
        Assert.DoesNotContain(docker.ContextCopies, c => c.StartsWith("deploy/", StringComparison.Ordinal));
    }

    [Fact]
    public void Copies_every_project_the_server_builds_from_and_the_dockerignore_lets_them_through()
    {
        var docker = Dockerfile.Load();
        var copied = docker.ContextCopies.Select(c => c.TrimEnd('/')).ToList();
        var ignore = DockerIgnore.Load();
        Assert.Contains("*", ignore.Patterns); // the context is an allow-list
        foreach (var source in copied)
        {
            Assert.True(File.Exists(RepositoryRoot.Combine(source)) || Directory.Exists(RepositoryRoot.Combine(source)), $"COPY {source}: not in the repository");
            Assert.True(ignore.Includes(source), $"COPY {source}: excluded by .dockerignore");
        }
        Assert.False(ignore.Includes("src/Server/bin/Release/net10.0/Firecrest.Server.dll"));
        Assert.False(ignore.Includes(".testenv/cluster.env"));

        foreach (var projectFile in ProjectClosure(ServerProject))
        {
            Assert.Contains(projectFile, copied);
            Assert.Contains(Path.GetDirectoryName(projectFile)!, copied);
        }
        Assert.Contains("Directory.Build.props", copied);
        Assert.Contains("Directory.Packages.props", copied);
    }

    /// <summary><paramref name="project"/> and every project it references, transitively (repository-relative paths).</summary>
    private static IReadOnlyList<string> ProjectClosure(string project)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (seen.Contains(current)) continue;
            seen.Add(current);
            var dir = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(RepositoryRoot.Combine(current)).Descendants("ProjectReference"))
                pending.Push(Path.GetRelativePath(RepositoryRoot.Path, Path.GetFullPath(Path.Combine(RepositoryRoot.Path, dir, reference.Attribute("Include")!.Value))).Replace('\\', '/'));
        }
        return seen;
    }
}
