using Firecrest.Core.Errors;

namespace Firecrest.Core.Tests.Errors;

public class RemoteErrorClassifierTests
{
    [Theory]
    [InlineData("ls: cannot access '/home/x': No such file or directory", HpcErrorKind.NotFound)]
    [InlineData("scancel: error: Kill job error on job id 99: Invalid job id specified", HpcErrorKind.NotFound)]
    [InlineData("qdel: Unknown Job Id 12.pbs", HpcErrorKind.NotFound)]
    [InlineData("rm: cannot remove '/home/other/f': Permission denied", HpcErrorKind.PermissionDenied)]
    [InlineData("chown: changing ownership of '/home/f': Operation not permitted", HpcErrorKind.PermissionDenied)]
    [InlineData("scancel: error: Kill job error on job id 5: Access/permission denied", HpcErrorKind.PermissionDenied)]
    [InlineData("qdel: Unauthorized Request  12.pbs", HpcErrorKind.PermissionDenied)]
    [InlineData("mkdir: cannot create directory '/home/d': File exists", HpcErrorKind.AlreadyExists)]
    [InlineData("rmdir: failed to remove '/home/d': Directory not empty", HpcErrorKind.AlreadyExists)]
    [InlineData("cp: error writing '/scratch/f': Disk quota exceeded", HpcErrorKind.QuotaExceeded)]
    [InlineData("tar: /scratch/a.tar: Wrote only 4096 of 10240 bytes: No space left on device", HpcErrorKind.QuotaExceeded)]
    [InlineData("sbatch: error: QOSMaxSubmitJobPerUserLimit", HpcErrorKind.QuotaExceeded)]
    [InlineData("sbatch: error: AssocGrpCpuLimit", HpcErrorKind.QuotaExceeded)]
    [InlineData("head: error reading '/home/d': Is a directory", HpcErrorKind.InvalidArgument)]
    [InlineData("ls: cannot access '/home/f/x': Not a directory", HpcErrorKind.InvalidArgument)]
    [InlineData("chown: invalid user: 'nobody1'", HpcErrorKind.InvalidArgument)]
    [InlineData("chgrp: invalid group: 'nogroup1'", HpcErrorKind.InvalidArgument)]
    [InlineData("ls: unrecognized option '--bogus'", HpcErrorKind.InvalidArgument)]
    [InlineData("something odd happened", HpcErrorKind.Internal)]
    [InlineData("", HpcErrorKind.Internal)]
    public void Each_known_message_maps_to_its_kind(string stderr, HpcErrorKind kind) =>
        Assert.Equal(kind, RemoteErrorClassifier.Classify(1, stderr));

    [Fact]
    public void Exit_status_124_is_a_timeout_whatever_stderr_says() =>
        Assert.Equal(HpcErrorKind.Timeout, RemoteErrorClassifier.Classify(RemoteErrorClassifier.TimeoutExitStatus, "No such file or directory"));

    [Fact]
    public void Null_stderr_is_internal() => Assert.Equal(HpcErrorKind.Internal, RemoteErrorClassifier.Classify(1, null));

    [Theory]
    [InlineData("sbatch: error: QOSMaxCpuPerUserLimit", HpcErrorKind.QuotaExceeded)]
    [InlineData("sbatch: error: Invalid account or account/partition combination specified", HpcErrorKind.InvalidArgument)]
    [InlineData("sbatch: error: Unable to open file /home/x/job.sh", HpcErrorKind.InvalidArgument)]
    [InlineData("sbatch: error: chdir(/home/nope): No such file or directory", HpcErrorKind.InvalidArgument)]
    [InlineData("sbatch: error: This does not look like a batch script.  The first", HpcErrorKind.InvalidArgument)]
    [InlineData("qsub: Unknown queue", HpcErrorKind.InvalidArgument)]
    [InlineData("qsub: illegal -l value", HpcErrorKind.InvalidArgument)]
    [InlineData("qsub: Job rejected: not allowed", HpcErrorKind.InvalidArgument)]
    [InlineData("sbatch: error: Batch job submission failed: Socket timed out on send/recv operation", HpcErrorKind.Internal)]
    [InlineData(null, HpcErrorKind.Internal)]
    public void A_failed_submission_is_a_quota_or_a_bad_request(string? stderr, HpcErrorKind kind) =>
        Assert.Equal(kind, RemoteErrorClassifier.ClassifySubmission(stderr));
}
