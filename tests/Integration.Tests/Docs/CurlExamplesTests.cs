using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Docs;

/// <summary>
/// Runs every <c>```sh</c> block of docs/curl.md, in order, in one bash script against the real server started as a
/// process (<see cref="ServerBinary"/>: the built Firecrest.Server.dll, or the native server) on the local cluster. Each block checks its own result with <c>test</c>.
/// </summary>
[Trait("Server", "Process")]
public sealed partial class CurlExamplesTests
{
    private const string System = "cluster";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Every_curl_example_of_the_docs_runs_against_the_demo_server()
    {
        var cluster = TestCluster.Current;
        var root = RepositoryRoot();
        var blocks = ShellBlocks(await File.ReadAllTextAsync(Path.Combine(root, "docs", "curl.md")));
        Assert.True(blocks.Count >= 10, $"docs/curl.md has only {blocks.Count} sh blocks");
        foreach (var b in blocks)
            Assert.True(b.Code.Contains("# expect:", StringComparison.Ordinal), $"the sh block at docs/curl.md line {b.Line} has no '# expect:' comment");

        var dir = $"/home/{cluster["SSH_USER"]}/curl-doc-{Guid.NewGuid():N}";
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var work = Directory.CreateTempSubdirectory("curl-doc-");
        using var cts = new CancellationTokenSource(ScriptTimeout);
        using var server = await StartServerAsync(cluster, url, cts.Token);
        var token = await TokenAsync(cluster, cts.Token);
        try
        {
            var env = new Dictionary<string, string>
            {
                ["F7T"] = url,
                ["TOKEN"] = token,
                ["SYSTEM"] = System,
                ["DIR"] = dir,
                ["CLIENT_ID"] = cluster["DEMO_CLIENT_ID"],
                ["CLIENT_SECRET"] = cluster["DEMO_CLIENT_SECRET"],
                ["TOKEN_URL"] = cluster["OIDC_TOKEN_URL"],
            };
            var (exit, stdout, stderr) = await RunShellAsync(Script(blocks), env, work.FullName, cts.Token);
            var reached = BlockMarker().Matches(stderr).LastOrDefault()?.Value ?? "(before the first block)";
            Assert.True(exit == 0, $"docs/curl.md failed with exit {exit} in {reached}\n--- stderr (tail) ---\n{Tail(stderr)}\n--- stdout (tail) ---\n{Tail(stdout)}\n--- server (tail) ---\n{server.Tail()}");
            for (var i = 1; i <= blocks.Count; i++)
                Assert.Contains($"::ok {i}::", stdout, StringComparison.Ordinal);
        }
        finally
        {
            await RemoveDirectoryAsync(url, token, dir);
            work.Delete(recursive: true);
        }
    }

    private sealed record ShellBlock(int Line, string Code);

    private static List<ShellBlock> ShellBlocks(string markdown)
    {
        var blocks = new List<ShellBlock>();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```sh") continue;
            var start = i + 1;
            var body = new StringBuilder();
            for (i = start; i < lines.Length && lines[i].TrimEnd() != "```"; i++) body.Append(lines[i]).Append('\n');
            blocks.Add(new ShellBlock(start + 1, body.ToString()));
        }
        return blocks;
    }

    private static string Script(IReadOnlyList<ShellBlock> blocks)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < blocks.Count; i++)
        {
            sb.Append($"echo '=== block {i + 1} (docs/curl.md line {blocks[i].Line}) ===' >&2\n");
            sb.Append(blocks[i].Code);
            sb.Append($"echo '::ok {i + 1}::'\n");
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"=== block \d+ \(docs/curl\.md line \d+\) ===")]
    private static partial Regex BlockMarker();

    private static async Task<(int Exit, string Stdout, string Stderr)> RunShellAsync(
        string script, IReadOnlyDictionary<string, string> env, string workDir, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-euo", "pipefail", "-c", script }) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var bash = Process.Start(psi) ?? throw new InvalidOperationException("bash did not start");
        var stdout = bash.StandardOutput.ReadToEndAsync(ct);
        var stderr = bash.StandardError.ReadToEndAsync(ct);
        try
        {
            await bash.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw new TimeoutException($"docs/curl.md did not finish within {ScriptTimeout}");
        }
        return (bash.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "FirecrestAutomation.sln"))) return d.FullName;
        throw new InvalidOperationException($"no FirecrestAutomation.sln above {AppContext.BaseDirectory}");
    }

    private static async Task<ServerProcess> StartServerAsync(TestCluster cluster, string url, CancellationToken ct)
    {
        var server = ServerProcess.Start(new Dictionary<string, string>
        {
            ["YAML_CONFIG_FILE"] = cluster.ConfigPath,
            ["ASPNETCORE_URLS"] = url,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });
        try
        {
            await server.WaitUntilLiveAsync(new Uri($"{url}/status/liveness/"), TimeSpan.FromSeconds(60), ct);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private static async Task<string> TokenAsync(TestCluster cluster, CancellationToken ct)
    {
        using var http = new HttpClient();
        using var req = new HttpRequestMessage(HttpMethod.Post, cluster["OIDC_TOKEN_URL"])
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cluster["DEMO_CLIENT_ID"]}:{cluster["DEMO_CLIENT_SECRET"]}"));
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", pair);
        using var resp = await http.SendAsync(req, ct);
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct));
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    private static async Task RemoveDirectoryAsync(string url, string token, string dir)
    {
        // The last block removes $DIR; this is for a run that failed before it (404 when it is gone already).
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var resp = await http.DeleteAsync($"{url}/filesystem/{System}/ops/rm?path={Uri.EscapeDataString(dir)}");
    }

    private static string Tail(string text, int lines = 40) =>
        string.Join('\n', text.Split('\n').TakeLast(lines));

    /// <summary>The server as a child process; disposing kills it (by its own handle, so by its pid).</summary>
    private sealed class ServerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ProcessOutputTail _tail;

        private ServerProcess(Process process, ProcessOutputTail tail)
        {
            _process = process;
            _tail = tail;
        }

        public static ServerProcess Start(IReadOnlyDictionary<string, string> env)
        {
            var psi = ServerBinary.StartInfo();
            foreach (var (k, v) in env) psi.Environment[k] = v;
            var p = Process.Start(psi) ?? throw new InvalidOperationException("the server did not start");
            return new ServerProcess(p, ProcessOutputTail.Attach(p, 60));
        }

        public async Task WaitUntilLiveAsync(Uri liveness, TimeSpan within, CancellationToken ct)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow + within;
            while (true)
            {
                if (_process.HasExited) throw new InvalidOperationException($"the server exited with {_process.ExitCode}:\n{Tail()}");
                try
                {
                    using var r = await http.GetAsync(liveness, ct);
                    if (r.StatusCode == HttpStatusCode.OK) return;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{liveness} did not answer 200 within {within}:\n{Tail()}");
                await Task.Delay(200, ct);
            }
        }

        public string Tail() => _tail.Text();

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            _process.Dispose();
        }
    }
}
