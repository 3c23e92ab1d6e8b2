namespace Firecrest.Core.Tests;

public class RemotePathTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/home")]
    [InlineData("/home/user/dir/")]
    [InlineData("/home/user/..hidden")]
    [InlineData("/home/user/a b/it's \"q\"")]
    [InlineData("/home/user/line\nbreak")]
    [InlineData("/home/user/ends-with-newline\n")]
    public void A_normal_absolute_path_is_kept_byte_for_byte(string text) => Assert.Equal(text, RemotePath.Parse(text).Value);

    [Theory]
    [InlineData(null, "Field required")]
    [InlineData("", "Field required")]
    [InlineData("home/user", "must be an absolute path")]
    [InlineData("\n/home/user", "must be an absolute path")]
    [InlineData("/home/../etc", "'.' or '..' segments")]
    [InlineData("/home/./user", "'.' or '..' segments")]
    [InlineData("/home/user/..", "'.' or '..' segments")]
    [InlineData("/home/user/../", "'.' or '..' segments")]
    [InlineData("/home//user", "empty segments")]
    [InlineData("/home/a\0b", "NUL")]
    public void A_bad_path_is_refused_naming_the_field(string? text, string reason)
    {
        var e = Assert.Throws<HpcValidationException>(() => RemotePath.Parse(text, "targetPath", "body"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        var field = Assert.Single(e.Fields);
        Assert.Equal(("targetPath", "body"), (field.Name, field.Location));
        Assert.Contains(reason, field.Message);
        Assert.StartsWith("Body.targetPath: ", e.Message);
    }

    [Fact]
    public void A_dot_dot_segment_followed_by_a_newline_is_a_name_not_a_parent()
    {
        var p = RemotePath.Parse("/home/user/..\n");
        Assert.Equal("..\n", p.Name);
        Assert.Equal("/home/user", p.Parent.Value);
    }

    [Fact]
    public void Length_limits_are_those_of_Linux()
    {
        Assert.Contains("longer than 255", Assert.Throws<HpcValidationException>(() => RemotePath.Parse("/home/" + new string('a', 256))).Fields[0].Message);
        RemotePath.Parse("/home/" + new string('a', 255));
        var deep = "/" + string.Join('/', Enumerable.Repeat(new string('d', 200), 21)); // 4221 bytes
        Assert.Contains("too long", Assert.Throws<HpcValidationException>(() => RemotePath.Parse(deep)).Fields[0].Message);
        Assert.Contains("longer than 255", Assert.Throws<HpcValidationException>(() => RemotePath.Parse("/home/" + new string('é', 128))).Fields[0].Message);
    }

    [Theory]
    [InlineData("/home/user/f.txt", "/home/user", "f.txt", false)]
    [InlineData("/home/user/dir/", "/home/user", "dir", false)]
    [InlineData("/top", "/", "top", false)]
    [InlineData("/", "/", "", true)]
    public void Parent_name_and_root(string text, string parent, string name, bool isRoot)
    {
        var p = RemotePath.Parse(text);
        Assert.Equal((parent, name, isRoot), (p.Parent.Value, p.Name, p.IsRoot));
    }

    [Fact]
    public void Combine_appends_checked_segments()
    {
        Assert.Equal("/home/user/a/b", RemotePath.Parse("/home/user/").Combine("a/b").Value);
        Assert.Equal("/x", RemotePath.Parse("/").Combine("x").Value);
        Assert.Equal("file", Assert.Throws<HpcValidationException>(() => RemotePath.Parse("/home").Combine("../etc", "file")).Fields[0].Name);
    }

    [Fact]
    public void AsFile_refuses_a_directory_form()
    {
        Assert.Equal("/home/f", RemotePath.Parse("/home/f").AsFile().Value);
        Assert.Throws<HpcValidationException>(() => RemotePath.Parse("/home/d/").AsFile());
        Assert.Throws<HpcValidationException>(() => RemotePath.Parse("/").AsFile());
    }

    [Fact]
    public void IsAtOrUnder_compares_whole_segments()
    {
        var home = RemotePath.Parse("/home/");
        Assert.True(RemotePath.Parse("/home").IsAtOrUnder(home));
        Assert.True(RemotePath.Parse("/home/u/x").IsAtOrUnder(home));
        Assert.False(RemotePath.Parse("/homeother/x").IsAtOrUnder(home));
        Assert.True(RemotePath.Parse("/etc").IsAtOrUnder(RemotePath.Parse("/")));
    }

    [Fact]
    public void Json_is_the_plain_string_and_a_bad_string_is_refused()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new { p = RemotePath.Parse("/home/a b") });
        Assert.Equal("""{"p":"/home/a b"}""", json);
        Assert.Equal("/home/x", System.Text.Json.JsonSerializer.Deserialize<RemotePath>("\"/home/x\"").Value);
        Assert.Throws<HpcValidationException>(() => System.Text.Json.JsonSerializer.Deserialize<RemotePath>("\"../x\""));
    }
}
