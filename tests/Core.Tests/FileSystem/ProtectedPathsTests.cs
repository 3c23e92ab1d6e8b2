using Firecrest.Core.FileSystem;
using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.FileSystem;

/// <summary>rm and mv of a root are refused before any command runs; everything deeper is allowed.</summary>
public class ProtectedPathsTests
{
    private static readonly UserIdentity User = FsTestSettings.User; // fireuser
    private readonly PathGuard _guard = new(FsTestSettings.Cluster().FileSystems);

    [Theory]
    [InlineData("/home", "root of a configured file system")]
    [InlineData("/home/", "root of a configured file system")]
    [InlineData("/scratch", "root of a configured file system")]
    [InlineData("/home/fireuser", "user's own directory")]
    [InlineData("/home/fireuser/", "user's own directory")]
    [InlineData("/scratch/fireuser", "user's own directory")]
    public void Roots_are_described(string path, string what) =>
        Assert.Contains(what, ProtectedPaths.Describe(_guard, User, RemotePath.Parse(path)));

    [Theory]
    [InlineData("/home/fireuser/data")]
    [InlineData("/home/fireuser10")]
    [InlineData("/home/other")]
    [InlineData("/scratch/fireuser/run")]
    public void Deeper_paths_are_not_roots(string path) => Assert.Null(ProtectedPaths.Describe(_guard, User, RemotePath.Parse(path)));

    [Fact]
    public void The_root_directory_is_a_root() => Assert.Contains("root directory", ProtectedPaths.Describe(_guard, User, RemotePath.Parse("/")));

    [Theory]
    [InlineData("/home")]
    [InlineData("/home/fireuser")]
    [InlineData("/scratch/fireuser/")]
    public async Task Remove_of_a_root_is_refused_naming_the_path_before_anything_runs(string path)
    {
        var shell = new TranscriptShell();
        var e = await Assert.ThrowsAsync<HpcException>(() => FsTestSettings.Fs(shell).RemoveAsync(User, RemotePath.Parse(path)));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"Refusing to remove '{path}'", e.Message);
        Assert.Empty(shell.Executed);
    }
}
