using System.Web;
using Firecrest.Core;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;
using Firecrest.Tests.Support;
using Firecrest.Core.Tests.TestDoubles;

namespace Firecrest.Core.Tests.DataTransfer;

public sealed class TransferServiceTests
{
    private static readonly UserIdentity User = new("test1");
    private readonly FakeScheduler _scheduler = new();
    private readonly StubS3 _s3 = new();

    private TransferService Service(long maxPartSize = 1024, IRemoteShell? shell = null, params string[] directives) =>
        new(TransferTestSettings.Cluster(maxPartSize, directives), _scheduler, shell ?? new TranscriptShell().With("true", ""), new S3ClientFactory(_s3));

    [Theory]
    [InlineData(2560, 1024, 3)]
    [InlineData(1024, 1024, 1)]
    [InlineData(1025, 1024, 2)]
    [InlineData(1, 1024, 1)]
    public async Task Upload_returns_ceil_of_size_over_part_size_public_part_urls(long fileSize, long maxPart, int expectedParts)
    {
        using var svc = Service(maxPart);
        var r = await svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/data.big"), fileSize, "hpcproj");

        var d = r.TransferDirectives!;
        Assert.Equal(TransferMethod.S3, d.TransferMethod);
        Assert.Equal(maxPart, d.MaxPartSize);
        Assert.Equal(expectedParts, d.PartsUploadUrls!.Count);
        for (var i = 0; i < expectedParts; i++)
        {
            var u = new Uri(d.PartsUploadUrls[i]);
            Assert.Equal("https://s3.example.org", u.GetLeftPart(UriPartial.Authority));
            var q = HttpUtility.ParseQueryString(u.Query);
            Assert.Equal("upload-123", q["uploadId"]);
            Assert.Equal((i + 1).ToString(), q["partNumber"]);
            Assert.Equal("3600", q["X-Amz-Expires"]);
        }
        Assert.Null(d.DownloadUrl);
        Assert.Null(d.FileSize);
    }

    [Fact]
    public async Task Upload_complete_url_is_a_public_presigned_post_with_the_upload_id()
    {
        using var svc = Service();
        var r = await svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/data.big"), 10, "hpcproj");
        var u = new Uri(r.TransferDirectives!.CompleteUploadUrl!);
        Assert.Equal("https://s3.example.org", u.GetLeftPart(UriPartial.Authority));
        Assert.Matches(@"^/test1/[0-9a-f-]{36}/data\.big$", u.AbsolutePath);
        var q = HttpUtility.ParseQueryString(u.Query);
        Assert.Equal("upload-123", q["uploadId"]);
        Assert.Equal("AWS4-HMAC-SHA256", q["X-Amz-Algorithm"]);
        Assert.Matches("^[0-9a-f]{64}$", q["X-Amz-Signature"]!);
    }

    [Fact]
    public async Task Upload_creates_bucket_tolerates_missing_lifecycle_and_submits_ingress_job()
    {
        using var svc = Service();
        var r = await svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/data.big"), 10, "hpcproj");

        Assert.Collection(_s3.Requests,
            req => Assert.Equal("PUT /test1/", req),
            req => Assert.StartsWith("PUT /test1/?lifecycle", req),
            req => Assert.Matches(@"^POST /test1/[0-9a-f-]{36}/data\.big\?uploads", req));
        var job = Assert.Single(_scheduler.Submitted);
        Assert.Equal("IngressFileTransfer", job.Name);
        Assert.Equal("/home/test1", job.WorkingDirectory);
        Assert.Equal("/dev/null", job.StandardInput);
        Assert.Equal("/bin:/usr/bin/:/usr/local/bin/", job.Env!["PATH"]);
        Assert.Matches(@"^/home/test1/\.f7t_file_handling_job_[0-9a-f-]{36}\.log$", job.StandardOutput);
        Assert.Matches(@"^/home/test1/\.f7t_file_handling_job_error_[0-9a-f-]{36}\.log$", job.StandardError);
        Assert.Equal(job.StandardOutput, r.TransferJob.Logs.OutputLog);
        Assert.Equal(job.StandardError, r.TransferJob.Logs.ErrorLog);
        Assert.Equal("1001", r.TransferJob.JobId);
        Assert.Equal("cluster", r.TransferJob.System);
        Assert.Equal("/home/test1", r.TransferJob.WorkingDirectory);
        Assert.StartsWith("#!/bin/bash\n#SBATCH --nodes=1\n#SBATCH --account=hpcproj\n", job.Script);
        // The job reads the object through the PRIVATE endpoint.
        Assert.Contains("head_url='http://s3-private.example:9000/test1/", job.Script);
        Assert.Contains("get_url='http://s3-private.example:9000/test1/", job.Script);
    }

    [Fact]
    public async Task Upload_into_existing_bucket_skips_the_lifecycle_rule()
    {
        _s3.BucketExists = true;
        using var svc = Service();
        await svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/data.big"), 10, "hpcproj");
        Assert.DoesNotContain(_s3.Requests, r => r.Contains("lifecycle"));
        Assert.Single(_scheduler.Submitted);
    }

    [Theory]
    [InlineData(null, "Field required")]
    [InlineData(0L, "greater than 0")]
    [InlineData(-5L, "greater than 0")]
    public async Task Upload_without_positive_file_size_is_invalid_argument(long? size, string message)
    {
        using var svc = Service();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/x"), size, "hpcproj"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(message, e.Message);
        Assert.Empty(_s3.Requests);
    }

    [Fact]
    public async Task Upload_needing_more_than_10000_parts_is_invalid_argument()
    {
        using var svc = Service(maxPartSize: 1);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/x"), 10001, "hpcproj"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public async Task Missing_account_without_a_default_account_is_invalid_argument_before_any_side_effect()
    {
        _scheduler.Accounts = _ => [new SchedulerAccount { Name = "hpcproj" }]; // none is the default
        using var svc = Service();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/x"), 10));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("Account parameter is required on this system.", e.Message);
        Assert.Empty(_s3.Requests);
        var e2 = await Assert.ThrowsAnyAsync<HpcException>(() => svc.MoveAsync(User, RemotePath.Parse("/home/test1/a"), RemotePath.Parse("/home/test1/b")));
        Assert.Equal("Account parameter is required on this system.", e2.Message);
        Assert.Empty(_scheduler.Submitted);
    }

    [Fact]
    public async Task Missing_account_with_account_placeholder_uses_the_users_default_account()
    {
        _scheduler.Accounts = _ => [new SchedulerAccount { Name = "other" }, new SchedulerAccount { Name = "hpcdefault", Default = true }];
        using var svc = Service();
        await svc.MoveAsync(User, RemotePath.Parse("/home/test1/a"), RemotePath.Parse("/home/test1/b"));
        await svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/x"), 10);
        Assert.All(_scheduler.Submitted, j => Assert.Contains("\n#SBATCH --account=hpcdefault\n", j.Script));
        Assert.Equal(2, _scheduler.Submitted.Count);
        Assert.Equal(1, _scheduler.AccountQueries);
    }

    [Fact]
    public async Task Directives_without_placeholder_need_no_account_and_pass_a_given_one_to_the_scheduler()
    {
        using var svc = Service(1024, null, "#SBATCH --nodes=1", "#SBATCH --partition=debug");
        var job = await svc.MoveAsync(User, RemotePath.Parse("/home/test1/a"), RemotePath.Parse("/home/test1/b"));
        Assert.StartsWith("#!/bin/bash\n#SBATCH --nodes=1\n#SBATCH --partition=debug\n", _scheduler.Submitted[0].Script);
        Assert.Null(_scheduler.Submitted[0].Account);
        await svc.MoveAsync(User, RemotePath.Parse("/home/test1/a"), RemotePath.Parse("/home/test1/b"), "proj_x");
        Assert.Equal("proj_x", _scheduler.Submitted[1].Account);
        Assert.Equal("1001", job.JobId);
    }

    [Theory]
    [InlineData("hpc proj")]
    [InlineData("hpc\n#SBATCH --uid=0")]
    [InlineData("a'b")]
    public async Task Account_that_could_add_directives_is_invalid_argument(string account)
    {
        using var svc = Service();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.RemoveAsync(User, RemotePath.Parse("/home/test1/a"), account));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Empty(_scheduler.Submitted);
    }

    [Theory]
    [InlineData(TransferMethod.Streamer)]
    [InlineData(TransferMethod.Wormhole)]
    public async Task Other_transfer_method_is_not_available(TransferMethod method)
    {
        using var svc = Service();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/x"), 10, "hpcproj", method));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("Requested transfer method is not available.", e.Message);
        var e2 = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartDownloadAsync(User, RemotePath.Parse("/home/test1/x"), "hpcproj", method));
        Assert.Equal("Requested transfer method is not available.", e2.Message);
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("/etc/passwd")]
    [InlineData("/home/../etc/passwd")]
    [InlineData("/homeother/x")]
    [InlineData("")]
    public async Task Path_outside_the_file_systems_is_invalid_argument(string path)
    {
        using var svc = Service();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.CopyAsync(User, RemotePath.Parse(path), RemotePath.Parse("/home/test1/b"), false, "hpcproj"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        var e2 = await Assert.ThrowsAnyAsync<HpcException>(() => svc.CopyAsync(User, RemotePath.Parse("/home/test1/b"), RemotePath.Parse(path), false, "hpcproj"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e2.Kind);
        var e3 = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartUploadAsync(User, RemotePath.Parse(path), 10, "hpcproj"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e3.Kind);
        Assert.Empty(_scheduler.Submitted);
    }

    [Theory]
    [InlineData("/home//test1/file")]
    [InlineData("/home/test1/./file")]
    [InlineData("/home/test1/sub/../file")]
    public async Task Path_with_empty_dot_or_dotdot_segments_is_refused_like_every_file_operation(string path)
    {
        using var svc = Service();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.RemoveAsync(User, RemotePath.Parse(path), "hpcproj"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("path", Assert.Single(Assert.IsType<HpcValidationException>(e).Fields).Name);
        Assert.Empty(_scheduler.Submitted);
    }

    [Fact]
    public async Task Compress_of_a_directory_with_trailing_slash_archives_its_name_from_its_parent()
    {
        using var svc = Service();
        await svc.CompressAsync(User, new CompressRequest(RemotePath.Parse("/home/test1/dir/"), RemotePath.Parse("/home/test1/dir.tar.gz")), "hpcproj");
        var script = Assert.Single(_scheduler.Submitted).Script!;
        Assert.Contains("source_dir='/home/test1'\n", script);
        Assert.Contains("source_name='dir'\n", script);
    }

    [Fact]
    public async Task Removing_a_file_system_root_is_refused()
    {
        using var svc = Service();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.RemoveAsync(User, RemotePath.Parse("/scratch/"), "hpcproj"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    [Theory]
    [InlineData("/home/test1")]
    [InlineData("/home")]
    public async Task Removing_or_moving_away_the_home_directory_or_a_mount_point_is_refused(string root)
    {
        using var svc = Service();
        var rm = await Assert.ThrowsAsync<HpcException>(() => svc.RemoveAsync(User, RemotePath.Parse(root), "hpcproj"));
        var mv = await Assert.ThrowsAsync<HpcException>(() => svc.MoveAsync(User, RemotePath.Parse(root), RemotePath.Parse("/scratch/x"), "hpcproj"));
        Assert.Equal((HpcErrorKind.InvalidArgument, HpcErrorKind.InvalidArgument), (rm.Kind, mv.Kind));
        Assert.Contains($"Refusing to remove '{root}'", rm.Message);
        Assert.Contains($"Refusing to move '{root}'", mv.Message);
        Assert.Empty(_scheduler.Submitted);
        await svc.MoveAsync(User, RemotePath.Parse("/scratch/x"), RemotePath.Parse(root + "/x"), "hpcproj"); // into a root is fine
    }

    [Fact]
    public async Task Download_stats_the_source_and_returns_a_public_get_url_and_private_job_urls()
    {
        var shell = new TranscriptShell().WithRecorded("stat --dereference", "ssh_stat_command");
        using var svc = Service(maxPartSize: 3, shell: shell);
        var r = await svc.StartDownloadAsync(User, RemotePath.Parse("/home/test1/data.big"), "hpcproj");

        Assert.Equal("stat --dereference -c '%f %i %d %h %u %g %s %X %Y %Z' -- '/home/test1/data.big'", Assert.Single(shell.Executed).CommandLine);
        var d = r.TransferDirectives!;
        Assert.Equal(TransferMethod.S3, d.TransferMethod);
        Assert.Null(d.PartsUploadUrls);
        Assert.Null(d.CompleteUploadUrl);
        Assert.Null(d.MaxPartSize);
        var get = new Uri(d.DownloadUrl!);
        Assert.Equal("https://s3.example.org", get.GetLeftPart(UriPartial.Authority));
        Assert.Matches(@"^/test1/[0-9a-f-]{36}/data\.big$", get.AbsolutePath);

        var job = Assert.Single(_scheduler.Submitted);
        Assert.Equal("OutgressFileTransfer", job.Name);
        // 8 bytes (the transcript) in parts of 3 -> 3 private part URLs, private complete URL
        Assert.Contains("num_parts=3\n", job.Script);
        Assert.Equal(3, CountOf(job.Script!, "'http://s3-private.example:9000/test1/") - 2); // minus complete and head URLs
        Assert.Contains("complete_url='http://s3-private.example:9000/test1/", job.Script);
        Assert.DoesNotContain("https://s3.example.org", job.Script);
        Assert.Contains("parallel_runs=2\n", job.Script);
        Assert.Contains("input_file='/home/test1/data.big'\n", job.Script);
    }

    [Fact]
    public async Task Download_of_missing_file_is_not_found_without_side_effects()
    {
        var shell = new TranscriptShell().With("stat --dereference", "", "stat: cannot statx '/home/test1/nope': No such file or directory", 1);
        using var svc = Service(shell: shell);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartDownloadAsync(User, RemotePath.Parse("/home/test1/nope"), "hpcproj"));
        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
        Assert.Empty(_s3.Requests);
        Assert.Empty(_scheduler.Submitted);
    }

    [Fact]
    public async Task Download_of_a_directory_is_invalid_argument()
    {
        var shell = new TranscriptShell().With("stat --dereference", "41ed 1 2 3 1000 1000 4096 1 2 3");
        using var svc = Service(shell: shell);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartDownloadAsync(User, RemotePath.Parse("/home/test1/dir"), "hpcproj"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public async Task Scheduler_refusal_propagates_as_its_hpc_exception()
    {
        _scheduler.FailWith = new HpcException(HpcErrorKind.InvalidArgument, "Invalid account or account/partition combination specified");
        using var svc = Service();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.MoveAsync(User, RemotePath.Parse("/home/test1/a"), RemotePath.Parse("/home/test1/b"), "hpcproj"));
        Assert.Contains("Invalid account", e.Message);
    }

    [Fact]
    public async Task Job_names_follow_upstream()
    {
        using var svc = Service();
        await svc.MoveAsync(User, RemotePath.Parse("/home/test1/a"), RemotePath.Parse("/home/test1/b"), "p");
        await svc.CopyAsync(User, RemotePath.Parse("/home/test1/a"), RemotePath.Parse("/home/test1/b"), true, "p");
        await svc.RemoveAsync(User, RemotePath.Parse("/home/test1/a"), "p");
        await svc.CompressAsync(User, new CompressRequest(RemotePath.Parse("/home/test1/a"), RemotePath.Parse("/home/test1/a.tgz")), "p");
        await svc.ExtractAsync(User, new ExtractRequest(RemotePath.Parse("/home/test1/a.tgz"), RemotePath.Parse("/home/test1/x")), "p");
        Assert.Equal(["MoveFiles", "CopyFiles", "DeleteFiles", "CompressFiles", "CompressFiles"], _scheduler.Submitted.Select(j => j.Name));
    }

    [Fact]
    public async Task Transfer_response_serialises_with_upstream_field_names()
    {
        using var svc = Service();
        var r = await svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/data.big"), 10, "hpcproj");
        var o = new System.Text.Json.JsonSerializerOptions(Firecrest.Core.Json.FirecrestJson.Options)
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };
        using var doc = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(r, o));
        var root = doc.RootElement;
        Assert.Equal(["transferJob", "transferDirectives"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["jobId", "system", "workingDirectory", "logs"], root.GetProperty("transferJob").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["outputLog", "errorLog"], root.GetProperty("transferJob").GetProperty("logs").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["transferMethod", "partsUploadUrls", "completeUploadUrl", "maxPartSize"],
            root.GetProperty("transferDirectives").EnumerateObject().Select(p => p.Name));
    }

    private static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
