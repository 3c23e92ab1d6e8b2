using Firecrest.Core;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Tests.Ssh;

public class ShellQuoteTests
{
    private const string Alphabet = "'\"$`\\;&|*?<>()[]{}#~!%^=-_ \t\nabcXYZ019/.é€日\u0001\u001b\u007f";

    internal static string RandomString(Random random, int maxLength)
    {
        var length = random.Next(0, maxLength + 1);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = random.Next(4) == 0 ? (char)random.Next(1, 0xD7FF) : Alphabet[random.Next(Alphabet.Length)];
        return new string(chars);
    }

    [Fact]
    public void Quoted_random_strings_parse_back_as_one_identical_word()
    {
        var random = new Random(20260101);
        for (var n = 0; n < 5000; n++)
        {
            var s = RandomString(random, 40);
            var words = PosixWordParser.Split(ShellQuote.Quote(s));
            Assert.Single(words);
            Assert.Equal(s, words[0]);
        }
    }

    [Fact]
    public void A_builder_appended_quoted_in_many_chunks_is_the_same_word_as_its_text_quoted()
    {
        var random = new Random(20261207);
        for (var n = 0; n < 200; n++)
        {
            // Appended piece by piece past the first chunk, so a quote can fall at a chunk's edge.
            var value = new System.Text.StringBuilder(1);
            for (var piece = random.Next(1, 40); piece > 0; piece--) value.Append(RandomString(random, 200));
            var target = new System.Text.StringBuilder("eval ");
            ShellQuote.AppendQuoted(target, value);
            Assert.Equal("eval " + ShellQuote.Quote(value.ToString()), target.ToString());
        }
        Assert.Equal(HpcErrorKind.InvalidArgument,
            Assert.ThrowsAny<HpcException>(() => ShellQuote.AppendQuoted(new(), new System.Text.StringBuilder("a\0b"))).Kind);
    }

    [Fact]
    public void Join_gives_one_word_per_value()
    {
        var values = new[] { "", "a b", "it's", "-rf", "$(x)", "\n" };
        Assert.Equal(values, PosixWordParser.Split(ShellQuote.Join(values)));
    }

    [Fact]
    public void Parser_rejects_unquoted_metacharacters_so_the_property_test_can_fail()
    {
        Assert.Throws<FormatException>(() => PosixWordParser.Split("a;b"));
        Assert.Throws<FormatException>(() => PosixWordParser.Split("'a'b'"));
    }

    [Fact]
    public void Nul_is_refused_as_invalid_argument()
    {
        var e = Assert.ThrowsAny<HpcException>(() => ShellQuote.Quote("a\0b"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Environment_is_prepended_as_quoted_assignments_in_name_order()
    {
        var line = RemoteCommandLine.Build(new RemoteCommand("env") { Environment = new Dictionary<string, string> { ["B"] = "it's", ["A_1"] = "$HOME" } });
        Assert.Equal("A_1='$HOME' B='it'\\''s' env", line);
    }

    [Theory]
    [InlineData("1A")]
    [InlineData("A-B")]
    [InlineData("A B")]
    [InlineData("")]
    [InlineData("X;rm")]
    public void Invalid_environment_name_is_refused(string name)
    {
        var e = Assert.ThrowsAny<HpcException>(() => RemoteCommandLine.Build(new RemoteCommand("env") { Environment = new Dictionary<string, string> { [name] = "v" } }));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void A_single_program_after_a_guard_replaces_the_shell_unless_it_needs_environment()
    {
        Assert.Equal("g\nexec stat -- '/x'", RemoteCommandLine.Build(new RemoteCommand("stat -- '/x'") { Guard = "g", SingleProgram = true }));
        Assert.Equal("g\nstat -- '/x'", RemoteCommandLine.Build(new RemoteCommand("stat -- '/x'") { Guard = "g" }));
        Assert.Equal("stat -- '/x'", RemoteCommandLine.Build(new RemoteCommand("stat -- '/x'") { SingleProgram = true }));
        Assert.Equal("g\nA='1' env", RemoteCommandLine.Build(new RemoteCommand("env") { Guard = "g", SingleProgram = true, Environment = new Dictionary<string, string> { ["A"] = "1" } }));
    }

    [Fact]
    public void Empty_command_is_refused()
    {
        Assert.Equal(HpcErrorKind.InvalidArgument, Assert.ThrowsAny<HpcException>(() => RemoteCommandLine.Build(new RemoteCommand("  "))).Kind);
    }
}
