using Firecrest.Core.FileSystem;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Tests.FileSystem;

public class RemoteErrorMapperTests
{
    [Theory]
    [InlineData(1, "ls: cannot access '/x': No such file or directory", HpcErrorKind.NotFound)]
    [InlineData(1, "cat: /x: Permission denied", HpcErrorKind.PermissionDenied)]
    [InlineData(1, "chown: changing ownership of '/x': Operation not permitted", HpcErrorKind.PermissionDenied)]
    [InlineData(1, "mkdir: cannot create directory '/x': File exists", HpcErrorKind.AlreadyExists)]
    [InlineData(1, "chown: invalid user: 'nobodyx'", HpcErrorKind.InvalidArgument)]
    [InlineData(1, "chown: invalid group: 'u:nogroupx'", HpcErrorKind.InvalidArgument)]
    [InlineData(124, "No such file or directory", HpcErrorKind.Timeout)]
    [InlineData(124, "", HpcErrorKind.Timeout)]
    [InlineData(2, "tar: something odd", HpcErrorKind.Internal)]
    [InlineData(1, "", HpcErrorKind.Internal)]
    public void Stderr_and_exit_status_map_to_kinds(int exit, string stderr, HpcErrorKind kind)
    {
        var e = RemoteErrorMapper.ToException(new RemoteCommandResult(exit, "", stderr));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(exit, e.ExitStatus);
        Assert.Equal(stderr, e.Stderr);
    }

    [Fact]
    public void Message_has_the_upstream_format_with_trimmed_stderr() =>
        Assert.Equal("Remote process failed with exit status:3 and error message:oops",
            RemoteErrorMapper.ToException(new RemoteCommandResult(3, "", "  oops\n")).Message);

    [Fact]
    public void Message_without_stderr_has_only_the_exit_status() =>
        Assert.Equal("Remote process failed with exit status:1", RemoteErrorMapper.ToException(new RemoteCommandResult(1, "", "")).Message);

    [Fact]
    public void Success_does_not_throw() => RemoteErrorMapper.ThrowIfFailed(new RemoteCommandResult(0, "x", "warning"));
}
