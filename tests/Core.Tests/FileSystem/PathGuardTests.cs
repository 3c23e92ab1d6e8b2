using Firecrest.Core.Configuration;
using Firecrest.Core.FileSystem;

namespace Firecrest.Core.Tests.FileSystem;

public class PathGuardTests
{
    private readonly PathGuard _guard = new(FsTestSettings.Cluster().FileSystems);

    [Theory]
    [InlineData("/home")]
    [InlineData("/home/")]
    [InlineData("/home/user/file.txt")]
    [InlineData("/scratch/a b/it's \"here\"")]
    [InlineData("/home/user/line\nbreak")]
    [InlineData("/home/user/..hidden")]
    [InlineData("/home/user/dir/")]
    public void Accepts_normal_absolute_paths_inside_a_file_system(string path) =>
        Assert.Equal(path, _guard.Check("path", path));

    [Theory]
    [InlineData("home/user", "must be an absolute path")]
    [InlineData("./home", "must be an absolute path")]
    [InlineData("/home/../etc/passwd", "'..' segments")]
    [InlineData("/home/user/..", "'..' segments")]
    [InlineData("/home/./user", "'..' segments")]
    [InlineData("/home//user", "empty segments")]
    [InlineData("/etc/passwd", "inside one of the configured file systems")]
    [InlineData("/homeother/x", "inside one of the configured file systems")]
    [InlineData("/", "inside one of the configured file systems")]
    [InlineData("/home/a\0b", "NUL")]
    [InlineData("", "Field required")]
    public void Rejects_bad_paths_with_InvalidArgument_naming_the_argument(string path, string reason)
    {
        var e = Assert.Throws<HpcValidationException>(() => _guard.Check("targetPath", path));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        var field = Assert.Single(e.Fields);
        Assert.Equal("targetPath", field.Name);
        Assert.Contains(reason, field.Message);
    }

    [Fact]
    public void Rejects_null_path() =>
        Assert.Equal(HpcErrorKind.InvalidArgument, Assert.ThrowsAny<HpcException>(() => _guard.Check("path", null)).Kind);

    [Fact]
    public void Rejects_everything_when_no_file_system_is_configured()
    {
        var e = Assert.ThrowsAny<HpcException>(() => new PathGuard([]).Check("path", "/home/x"));
        Assert.Contains("no file systems", e.Message);
    }

    [Fact]
    public void A_root_file_system_accepts_any_absolute_path() =>
        Assert.Equal("/etc/hosts", new PathGuard([new FileSystemSettings { Path = "/" }]).Check("path", "/etc/hosts"));

    [Fact]
    public void A_file_system_path_with_trailing_slash_still_matches() =>
        Assert.Equal("/data/x", new PathGuard([new FileSystemSettings { Path = "/data/" }]).Check("path", "/data/x"));
}
