using System.Diagnostics;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.DataTransfer;
using Firecrest.Tests.Support;
using Firecrest.Core.Tests.TestDoubles;

namespace Firecrest.Core.Tests.DataTransfer;

/// <summary>
/// The ingress (upload) job script run by a local bash with a fake <c>curl</c> that serves $FAKE_S3/object:
/// ranged parts land in a temporary file that replaces the target only when complete; a directory target or an
/// object of another size than announced fails with a message.
/// </summary>
public sealed class IngressScriptTests : IDisposable
{
    // Fake curl: HEAD answers the object's size; a ranged GET writes the range to -o (a file, or stdout for "-"),
    // the status line to -D, and logs the range in $FAKE_S3/ranges; without -D it prints the status (-w). A range
    // written in $FAKE_S3/fail fails as a broken connection.
    private const string FakeCurl = """
        #!/bin/bash
        range= out= head= hdr=
        while [ $# -gt 0 ]; do
            case "$1" in
                --head) head=1 ;;
                --range) range=$2; shift ;;
                -o) out=$2; shift ;;
                -D) hdr=$2; shift ;;
                -w|-H|-X|--max-time|--retry|--speed-limit|--speed-time) shift ;;
            esac
            shift
        done
        if [ -n "$head" ]; then
            [ -f "$FAKE_S3/object" ] || { printf 'HTTP/1.1 404 Not Found\r\n\r\n'; exit 0; }
            printf 'HTTP/1.1 200 OK\r\nContent-Length: %s\r\n\r\n' "$(stat -c %s "$FAKE_S3/object")"
            exit 0
        fi
        from=${range%-*} to=${range#*-}
        if [ -f "$FAKE_S3/fail" ] && [ "$range" = "$(cat "$FAKE_S3/fail")" ]; then echo 'curl: (56) Recv failure' >&2; exit 56; fi
        [ "$out" = - ] && out=/dev/stdout
        dd if="$FAKE_S3/object" of="$out" bs=1M iflag=skip_bytes,count_bytes skip="$from" count=$((to - from + 1)) status=none
        echo "$range" >> "$FAKE_S3/ranges"
        if [ -n "$hdr" ]; then printf 'HTTP/1.1 206 Partial Content\r\n\r\n' > "$hdr"; else printf 206; fi
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("f7t-ingress-").FullName;
    private readonly string _fakeS3;
    private readonly string _bin;
    private readonly FakeScheduler _scheduler = new();

    public IngressScriptTests()
    {
        _fakeS3 = Directory.CreateDirectory(Path.Combine(_root, "s3")).FullName;
        _bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        File.WriteAllText(Path.Combine(_bin, "curl"), FakeCurl.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(_bin, "curl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Object_is_fetched_in_ranged_parts_and_replaces_the_target_atomically()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "t & 'dir'")).FullName;
        var target = Path.Combine(dir, "it's \"x\" <&>.bin");
        await File.WriteAllTextAsync(target, "old content");
        var data = new byte[2500];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(Path.Combine(_fakeS3, "object"), data);

        var (rc, stdout, stderr) = await RunIngressAsync(target, 2500, 1024);

        Assert.True(rc == 0, $"exit {rc}\n{stdout}\n{stderr}");
        Assert.Contains("File was successfully downloaded", stdout);
        Assert.Contains("SHA-256: " + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), stdout);
        Assert.Equal(data, await File.ReadAllBytesAsync(target));
        Assert.Equal(["0-1023", "1024-2047", "2048-2499"], (await File.ReadAllLinesAsync(Path.Combine(_fakeS3, "ranges"))).Order());
        Assert.Equal([target], Directory.GetFiles(dir));
    }

    [Fact]
    public async Task A_part_that_keeps_failing_fails_the_job_and_leaves_the_target_alone()
    {
        var target = Path.Combine(_root, "target.bin");
        await File.WriteAllTextAsync(target, "keep");
        var data = new byte[2500];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(Path.Combine(_fakeS3, "object"), data);
        await File.WriteAllTextAsync(Path.Combine(_fakeS3, "fail"), "1024-2047");

        var (rc, stdout, stderr) = await RunIngressAsync(target, 2500, 1024);

        Assert.Equal(5, rc);
        Assert.Contains("part 2 (bytes 1024-2047): curl error", stderr);
        Assert.DoesNotContain("SHA-256:", stdout);
        Assert.Equal("keep", await File.ReadAllTextAsync(target));
        Assert.Equal([target], Directory.GetFiles(_root));
        Assert.DoesNotContain(Directory.GetDirectories(_root), d => Path.GetFileName(d).StartsWith(".f7t_ingress", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Directory_target_fails_with_exit_3()
    {
        var target = Directory.CreateDirectory(Path.Combine(_root, "a dir")).FullName;
        var (rc, _, stderr) = await RunIngressAsync(target, 10, 1024);
        Assert.Equal(3, rc);
        Assert.Contains("is a directory", stderr);
    }

    [Fact]
    public async Task Object_of_other_size_than_announced_fails_and_leaves_the_target_alone()
    {
        var target = Path.Combine(_root, "target.bin");
        await File.WriteAllTextAsync(target, "keep");
        await File.WriteAllBytesAsync(Path.Combine(_fakeS3, "object"), new byte[60]);
        var (rc, _, stderr) = await RunIngressAsync(target, 100, 1024);
        Assert.Equal(6, rc);
        Assert.Contains("has 60 bytes, but 100 bytes were announced", stderr);
        Assert.Equal("keep", await File.ReadAllTextAsync(target));
        Assert.Equal([target], Directory.GetFiles(_root));
    }

    private async Task<(int, string, string)> RunIngressAsync(string target, long fileSize, long maxPartSize)
    {
        var settings = TransferTestSettings.Cluster(maxPartSize, "#SBATCH --nodes=1");
        settings.FileSystems = [new FileSystemSettings { Path = _root, DefaultWorkDir = true }];
        using var svc = new TransferService(settings, _scheduler, new TranscriptShell().With("true", ""), new S3ClientFactory(new StubS3()))
        {
            IngressPollInterval = TimeSpan.FromMilliseconds(250),
            IngressStallTimeout = TimeSpan.FromSeconds(1),
        };
        await svc.StartUploadAsync(new UserIdentity("u"), RemotePath.Parse(target), fileSize);

        var psi = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        psi.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["FAKE_S3"] = _fakeS3;
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(_scheduler.Submitted[^1].Script);
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await o, await e);
    }
}
