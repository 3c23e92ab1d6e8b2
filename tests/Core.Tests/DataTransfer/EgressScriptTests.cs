using System.Diagnostics;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.DataTransfer;
using Firecrest.Tests.Support;
using Firecrest.Core.Tests.TestDoubles;

namespace Firecrest.Core.Tests.DataTransfer;

/// <summary>
/// The egress (download) job script run by a local bash with a fake <c>curl</c> on PATH that plays S3: parts are
/// cut at max_part_size, a failing part is retried, the CompleteMultipartUpload XML lists every ETag in order, and
/// the upstream exit codes (34, 70) come out.
/// </summary>
public sealed class EgressScriptTests : IDisposable
{
    // Fake curl: HEAD answers the total size of the stored parts; PUT (--upload-file F URL) stores the part under $FAKE_S3/<partNumber> and answers with an ETag,
    // except that each line of $FAKE_S3/fail-once fails that part once; POST stores the body in $FAKE_S3/complete.xml.
    private const string FakeCurl = """
        #!/bin/bash
        upload= data= out= url= head=
        while [ $# -gt 0 ]; do
            case "$1" in
                --upload-file) upload=$2; shift ;;
                --data-binary) data=$2; shift ;;
                --head) head=1 ;;
                -o) out=$2; shift ;;
                -w|-D|-H|-X|--max-time|--speed-limit|--speed-time) shift ;;
                http*) url=$1 ;;
            esac
            shift
        done
        part=$(printf '%s' "$url" | sed -n 's/.*partNumber=\([0-9]*\).*/\1/p')
        if [ -n "$head" ]; then
            printf 'HTTP/1.1 200 OK\r\nContent-Length: %s\r\n\r\n' "$(cat "$FAKE_S3"/[0-9]* 2>/dev/null | wc -c)"
            exit 0
        fi
        if [ -n "$upload" ]; then
            if grep -qx "$part" "$FAKE_S3/fail-once" 2>/dev/null; then
                sed -i "0,/^$part\$/{//d}" "$FAKE_S3/fail-once"
                echo "curl: (22) The requested URL returned error: 500" >&2
                exit 22
            fi
            if [ "$upload" = - ]; then cat > "$FAKE_S3/$part"; else cp -- "$upload" "$FAKE_S3/$part"; fi
            printf 'HTTP/1.1 200 OK\r\nETag: "etag-%s-%s"\r\n\r\n' "$part" "$(stat -c %s -- "$FAKE_S3/$part")"
            exit 0
        fi
        if [ -n "$data" ]; then
            printf '%s' "$data" > "$FAKE_S3/complete.xml"
            if [ -f "$FAKE_S3/complete-fails" ]; then echo '<Error><Code>InvalidPart</Code></Error>' > "$out"; printf 200; exit 0; fi
            echo '<CompleteMultipartUploadResult/>' > "$out"
            printf 200
            exit 0
        fi
        exit 2
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("f7t-egress-").FullName;
    private readonly string _fakeS3;
    private readonly string _bin;
    private readonly FakeScheduler _scheduler = new();

    public EgressScriptTests()
    {
        _fakeS3 = Directory.CreateDirectory(Path.Combine(_root, "s3")).FullName;
        _bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        File.WriteAllText(Path.Combine(_bin, "curl"), FakeCurl.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(_bin, "curl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Parts_are_cut_at_max_part_size_uploaded_retried_and_completed_in_order(bool useSplit)
    {
        var source = Path.Combine(_root, "it's & <data>.bin");
        var data = new byte[2500];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(source, data);
        await File.WriteAllTextAsync(Path.Combine(_fakeS3, "fail-once"), "2\n");

        var (rc, stdout, stderr) = await RunEgressAsync(source, fileSize: 2500, maxPartSize: 1024, useSplit);

        Assert.True(rc == 0, $"exit {rc}\n{stdout}\n{stderr}");
        Assert.Contains("Multipart file upload successfully completed", stdout);
        Assert.Contains("part 2: upload failed", stderr);
        Assert.Equal(data[..1024], await File.ReadAllBytesAsync(Path.Combine(_fakeS3, "1")));
        Assert.Equal(data[1024..2048], await File.ReadAllBytesAsync(Path.Combine(_fakeS3, "2")));
        Assert.Equal(data[2048..], await File.ReadAllBytesAsync(Path.Combine(_fakeS3, "3")));
        Assert.Equal(
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
            "<Part><PartNumber>1</PartNumber><ETag>\"etag-1-1024\"</ETag></Part>" +
            "<Part><PartNumber>2</PartNumber><ETag>\"etag-2-1024\"</ETag></Part>" +
            "<Part><PartNumber>3</PartNumber><ETag>\"etag-3-452\"</ETag></Part>" +
            "</CompleteMultipartUpload>",
            await File.ReadAllTextAsync(Path.Combine(_fakeS3, "complete.xml")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_root, "work", "tmp")));
    }

    [Fact]
    public async Task Part_failing_on_every_attempt_ends_with_exit_70_and_no_completion()
    {
        var source = Path.Combine(_root, "data.bin");
        await File.WriteAllBytesAsync(source, new byte[3000]);
        await File.WriteAllTextAsync(Path.Combine(_fakeS3, "fail-once"), "3\n3\n3\n");

        var (rc, _, stderr) = await RunEgressAsync(source, 3000, 1024);

        Assert.Equal(70, rc);
        Assert.Contains("could not be uploaded after 3 attempts", stderr);
        Assert.False(File.Exists(Path.Combine(_fakeS3, "complete.xml")));
    }

    [Fact]
    public async Task Completion_answered_with_an_error_body_ends_with_exit_70()
    {
        var source = Path.Combine(_root, "data.bin");
        await File.WriteAllBytesAsync(source, new byte[10]);
        await File.WriteAllTextAsync(Path.Combine(_fakeS3, "complete-fails"), "");
        var (rc, _, stderr) = await RunEgressAsync(source, 10, 1024);
        Assert.Equal(70, rc);
        Assert.Contains("InvalidPart", stderr);
    }

    [Fact]
    public async Task Missing_input_file_ends_with_exit_34()
    {
        var (rc, _, stderr) = await RunEgressAsync(Path.Combine(_root, "gone.bin"), 10, 1024);
        Assert.Equal(34, rc);
        Assert.Contains("file_not_found", stderr);
    }

    [Fact]
    public async Task File_grown_beyond_the_planned_parts_ends_with_exit_27()
    {
        var source = Path.Combine(_root, "grown.bin");
        await File.WriteAllBytesAsync(source, new byte[5000]);
        var (rc, _, stderr) = await RunEgressAsync(source, fileSize: 1000, maxPartSize: 1024);
        Assert.Equal(27, rc);
        Assert.Contains("error_max_part_size", stderr);
    }

    private async Task<(int, string, string)> RunEgressAsync(string source, long fileSize, long maxPartSize, bool useSplit = false)
    {
        var settings = TransferTestSettings.Cluster(maxPartSize, "#SBATCH --nodes=1");
        settings.FileSystems = [new FileSystemSettings { Path = _root, DefaultWorkDir = true }];
        settings.DataOperation.DataTransfer!.Multipart.UseSplit = useSplit;
        var shell = new TranscriptShell().With("stat --dereference", $"81a4 1 2 3 1000 1000 {fileSize} 1 2 3");
        using var svc = new TransferService(settings, _scheduler, shell, new S3ClientFactory(new StubS3()));
        await svc.StartDownloadAsync(new UserIdentity("work"), RemotePath.Parse(source));
        var work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;

        var psi = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work };
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
