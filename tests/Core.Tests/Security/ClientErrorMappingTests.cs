using Firecrest.Core.Configuration;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Core.Ssh;
using Firecrest.Core.Ssh.Credentials;

namespace Firecrest.Core.Tests.Security;

/// <summary>Failures that used to surface as 500 and are the client's doing: each maps to a 4xx kind with a clear message.</summary>
public sealed class ClientErrorMappingTests
{
    [Theory]
    [InlineData("head: error reading '/tmp': Is a directory\n")]
    [InlineData("sha256sum: /tmp: Is a directory\n")]
    [InlineData("base64: read error: Is a directory\n")]
    [InlineData("dd: error reading '/tmp': Is a directory\n")]
    [InlineData("dd: /tmp/vv: cannot skip: Invalid argument\n")]
    public void File_operation_on_a_directory_or_past_any_offset_is_invalid_argument(string stderr) =>
        Assert.Equal(HpcErrorKind.InvalidArgument, RemoteErrorMapper.ToException(new RemoteCommandResult(1, "", stderr)).Kind);

    [Fact]
    public async Task A_user_without_an_ssh_key_is_permission_denied()
    {
        var provider = new StaticKeyCredentialProvider(new Dictionary<string, StaticKeySettings>());
        var e = await Assert.ThrowsAsync<HpcException>(() => provider.GetCredentialAsync(new UserIdentity("nobody"), CancellationToken.None));
        Assert.Equal(HpcErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("nobody", e.Message);
    }

    [Fact]
    public void Sbatch_too_long_is_invalid_argument()
    {
        var e = SlurmCliScheduler.SubmitError(new RemoteCommandResult(1, "", "sbatch: error: Batch job submission failed: Pathname of a file, directory or other parameter too long\n"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("too long", e.Message);
    }

    [Fact]
    public void Sbatch_s_error_over_several_lines_keeps_every_line_as_caused_by()
    {
        const string stderr = "sbatch: error: This does not look like a batch script.  The first\n" +
                              "sbatch: error: line must start with #! followed by the path to an interpreter.\n" +
                              "sbatch: error: For instance: #!/bin/sh\n";
        var e = SlurmCliScheduler.SubmitError(new RemoteCommandResult(1, "", stderr));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("sbatch: error: For instance: #!/bin/sh", e.Message);
        Assert.Equal(stderr.TrimEnd('\n').Split('\n'), e.CausedBy);
    }

    [Fact]
    public void A_command_line_over_the_ssh_packet_limit_is_too_large_before_it_is_sent()
    {
        RemoteCommandLine.Build(new RemoteCommand("echo " + new string('a', RemoteCommandLine.MaxBytes - 5)));
        var e = Assert.Throws<HpcException>(() => RemoteCommandLine.Build(new RemoteCommand("echo " + new string('a', RemoteCommandLine.MaxBytes))));
        Assert.Equal(HpcErrorKind.TooLarge, e.Kind);
        var env = Assert.Throws<HpcException>(() => RemoteCommandLine.Build(new RemoteCommand("true") { Environment = new Dictionary<string, string> { ["A"] = new string('b', 70_000) } }));
        Assert.Equal(HpcErrorKind.TooLarge, env.Kind);
    }
}
