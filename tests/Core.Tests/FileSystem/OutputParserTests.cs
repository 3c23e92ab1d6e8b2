using Firecrest.Core.FileSystem;

namespace Firecrest.Core.Tests.FileSystem;

public class OutputParserTests
{
    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"a \\\"quoted\\\" name\"", "a \"quoted\" name")]
    [InlineData("\"back\\\\slash\"", "back\\slash")]
    [InlineData("\"new\\nline\\ttab\"", "new\nline\ttab")]
    [InlineData("\"\\303\\251t\\303\\251\"", "été")]
    [InlineData("\"été\"", "été")]
    [InlineData("\"bell\\a\\001x\"", "bell\a\u0001x")]
    [InlineData("\"$(x) ' ; & | * ?\"", "$(x) ' ; & | * ?")]
    public void C_quoted_names_are_unescaped(string quoted, string expected)
    {
        Assert.True(CQuotedText.TryRead(quoted, 0, out var value, out var end));
        Assert.Equal(expected, value);
        Assert.Equal(quoted.Length, end);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("\"unterminated")]
    [InlineData("\"trailing backslash\\")]
    public void Malformed_quoted_text_is_refused(string text) => Assert.False(CQuotedText.TryRead(text, 0, out _, out _));

    [Fact]
    public void Ls_parses_links_and_escaped_names_and_ignores_total()
    {
        var files = LsOutputParser.Parse(
            "total 8\n" +
            "lrwxrwxrwx 1 alice staff 46 2023-07-25T14:18:00 \"link \\\"1\\\"\" -> \"target\\nx\"\n" +
            "-rw-rw-r--. 1 root root           0 2023-07-24T11:45:35 \"-dash\"\n");
        Assert.Equal(2, files.Count);
        Assert.Equal(("link \"1\"", "target\nx", "l", "rwxrwxrwx"), (files[0].Name, files[0].LinkTarget, files[0].Type, files[0].Permissions));
        Assert.Equal(("-dash", "-", "rw-rw-r--."), (files[1].Name, files[1].Type, files[1].Permissions));
    }

    [Fact]
    public void Ls_recursive_headers_are_unescaped_and_made_relative()
    {
        var files = LsOutputParser.Parse(
            "\"/home/u/d\\\"q\":\ntotal 0\ndrwx------ 2 u u 4096 2024-01-01T00:00:00 \"s p\"\n\n" +
            "\"/home/u/d\\\"q/s p\":\ntotal 0\n-rw------- 1 u u 3 2024-01-01T00:00:00 \"f\\nl\"\n");
        Assert.Equal(["s p", "s p/f\nl"], files.Select(f => f.Name));
    }

    [Theory]
    [InlineData("total 8\nlrwxrwxrwx 1 alice staff 46 2023-07-25T14:18:00 \"link \\\"1\\\"\" -> \"target\\nx\"\r\n-rw-rw-r--. 1 root root 0 2023-07-24T11:45:35 \"-dash\"\n")]
    [InlineData("\"/home/u/d\\\"q\":\ntotal 0\ndrwx------ 2 u u 4096 2024-01-01T00:00:00 \"s p\"\n\n\"/home/u/d\\\"q/s p\":\ntotal 0\n-rw------- 1 u u 3 2024-01-01T00:00:00 \"f\\nl\"")]
    [InlineData("-rw-r--r-- 1 ünïcødé grüppe 5 2024-01-01T00:00:00 \"été \\303\\251\"\n-rw-r--r-- 1 u g 5 2024-01-01T00:00:00 \"x\"\n")]
    [InlineData("")]
    [InlineData("not a listing\n\n")]
    public void Ls_from_bytes_reads_the_same_entries_as_from_text(string listing)
    {
        var fromText = LsOutputParser.Parse(listing);
        var fromBytes = LsOutputParser.Parse(System.Text.Encoding.UTF8.GetBytes(listing));
        Assert.Equal(fromText.Select(Fields), fromBytes.Select(Fields));
    }

    private static object Fields(Firecrest.Core.Models.RemoteFile f) => (f.Name, f.Type, f.LinkTarget, f.User, f.Group, f.Permissions, f.LastModified, f.Size);

    [Fact]
    public void Ls_from_bytes_reads_lines_longer_than_its_first_buffer_and_invalid_utf8_as_replacement()
    {
        var longName = new string('n', 5000);
        var bytes = System.Text.Encoding.UTF8.GetBytes($"-rw-r--r-- 1 u g 5 2024-01-01T00:00:00 \"{longName}\"\n-rw-r--r-- 1 u g 5 2024-01-01T00:00:00 \"bad ")
            .Concat(new byte[] { 0xC3, 0x28 }).Concat(System.Text.Encoding.UTF8.GetBytes("\"\n-rw-r--r-- 1 u g 5 2024-01-01T00:00:00 \"short\"\n")).ToArray();
        var files = LsOutputParser.Parse(bytes);
        Assert.Equal([longName, "bad \uFFFD(", "short"], files.Select(f => f.Name));
    }

    [Fact]
    public void Ls_single_takes_the_last_entry_after_other_output()
    {
        var f = LsOutputParser.ParseSingle("mode of 'x' changed\n-rw-r--r-- 1 u g 5 2024-01-01T00:00:00 \"/home/x\"");
        Assert.Equal("/home/x", f.Name);
    }

    [Fact]
    public void Ls_single_without_entry_is_Internal() =>
        Assert.Equal(HpcErrorKind.Internal, Assert.ThrowsAny<HpcException>(() => LsOutputParser.ParseSingle("nothing")).Kind);

    [Theory]
    [InlineData("81a4 1 2 3 4 5")]
    [InlineData("zz 1 2 3 4 5 6 7 8 9")]
    [InlineData("81a4 1 2 3 4 5 6 7 8 x")]
    [InlineData("")]
    public void Stat_with_unexpected_output_is_Internal(string stdout) =>
        Assert.Equal(HpcErrorKind.Internal, Assert.ThrowsAny<HpcException>(() => StatOutputParser.Parse(stdout)).Kind);

    [Theory]
    [InlineData("6d4c4f9ac2c9228c274dea099d83141d8b8cd1aa8902319d6d8313c767a7f93c  /home/with space.txt\n")]
    [InlineData("\\6d4c4f9ac2c9228c274dea099d83141d8b8cd1aa8902319d6d8313c767a7f93c  /home/new\\nline\n")]
    public void Checksum_takes_the_digest_even_when_the_name_has_spaces_or_escapes(string stdout) =>
        Assert.Equal("6d4c4f9ac2c9228c274dea099d83141d8b8cd1aa8902319d6d8313c767a7f93c", ChecksumOutputParser.Parse(stdout).Checksum);

    [Theory]
    [InlineData("")]
    [InlineData("6d4c4f9ac2c9228c274dea099d83141d8b8cd1aa8902319d6d8313c767a7f93c")]
    [InlineData("nothex  /home/x")]
    [InlineData("6d4c4f9ac2c9228c274dea099d83141d8b8cd1aa8902319d6d8313c767a7f93c  a\nffff  b")]
    public void Checksum_with_other_than_digest_and_name_is_Internal(string stdout) =>
        Assert.Equal(HpcErrorKind.Internal, Assert.ThrowsAny<HpcException>(() => ChecksumOutputParser.Parse(stdout)).Kind);

    [Fact]
    public void Id_parses_all_groups()
    {
        var info = IdOutputParser.Parse("uid=1001(fireuser) gid=1001(fireuser) groups=1001(fireuser),27(sudo),5000\n");
        Assert.Equal(("1001", "fireuser"), (info.User.Id, info.User.Name));
        Assert.Equal(("1001", "fireuser"), (info.Group.Id, info.Group.Name));
        Assert.Equal(["fireuser", "sudo", ""], info.Groups.Select(g => g.Name));
        Assert.Equal("5000", info.Groups[2].Id);
        Assert.Null(info.Accounts);
    }

    [Fact]
    public void Id_with_unexpected_output_is_Internal() =>
        Assert.Equal(HpcErrorKind.Internal, Assert.ThrowsAny<HpcException>(() => IdOutputParser.Parse("who knows")).Kind);
}
