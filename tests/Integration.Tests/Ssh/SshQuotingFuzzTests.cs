using System.Text;
using Firecrest.Core;
using Firecrest.Core.Ssh;
using static Firecrest.Integration.Tests.Ssh.SshPoolFactory;

namespace Firecrest.Integration.Tests.Ssh;

public class SshQuotingFuzzTests
{
    private const string Nasty = "'\"$`\\;&|*?<>(){}[]#~!% \t\n\r-=";

    private static string RandomString(Random random)
    {
        var sb = new StringBuilder();
        var length = random.Next(0, 30);
        if (random.Next(5) == 0) sb.Append('-');
        for (var i = 0; i < length; i++)
        {
            sb.Append(random.Next(6) switch
            {
                0 => (char)random.Next(1, 0x20),            // control characters except NUL
                1 => (char)random.Next(0xA0, 0xD7FF),       // non-ASCII (BMP, no surrogates)
                2 => char.ConvertFromUtf32(random.Next(0x1F600, 0x1F650)), // astral (emoji)
                _ => Nasty[random.Next(Nasty.Length)].ToString(),
            });
        }
        return sb.ToString();
    }

    [Fact]
    public async Task Random_strings_printed_through_the_remote_shell_come_back_byte_identical()
    {
        await using var pool = Pool();
        var random = new Random(4242);
        var inputs = Enumerable.Range(0, 300).Select(_ => RandomString(random)).ToList();
        inputs.AddRange(["", "'", "''", "\\", "'\\''", "-n", "--", "$(id)", "`id`", "\uFEFFbom", "a\nb\n", "\u00e9\u65e5\U0001F600"]);
        var results = await Task.WhenAll(inputs.Select(s =>
            pool.RunAsync(SystemName, User1, new RemoteCommand($"printf '%s' {ShellQuote.Quote(s)}"), CancellationToken.None)));
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(0, results[i].ExitStatus);
            Assert.Equal(Encoding.UTF8.GetBytes(inputs[i]), Encoding.UTF8.GetBytes(results[i].Stdout));
        }
    }

    [Fact]
    public async Task Injection_attempts_never_run()
    {
        await using var pool = Pool();
        var canary = $"/tmp/firecrest-canary-{Guid.NewGuid():N}";
        string[] attacks =
        [
            $"$(touch {canary})", $"`touch {canary}`", $"'; touch {canary}; '", $"\"; touch {canary}; \"",
            $"x; touch {canary}", $"x && touch {canary}", $"x | touch {canary}", $"x\ntouch {canary}", $"'\ntouch {canary}\n'",
            $"\\'; touch {canary} #", $"${{IFS}}touch${{IFS}}{canary}",
        ];
        foreach (var attack in attacks)
        {
            var r = await pool.RunAsync(SystemName, User1, new RemoteCommand($"printf '%s' {ShellQuote.Quote(attack)}"), CancellationToken.None);
            Assert.Equal(attack, r.Stdout);
            var env = await pool.RunAsync(SystemName, User1, new RemoteCommand("printenv V") { Environment = new Dictionary<string, string> { ["V"] = attack } }, CancellationToken.None);
            Assert.Equal(attack + "\n", env.Stdout);
        }
        var check = await pool.RunAsync(SystemName, User1, new RemoteCommand($"test -e {ShellQuote.Quote(canary)} && echo EXISTS || echo absent"), CancellationToken.None);
        Assert.Equal("absent\n", check.Stdout);
        Assert.False(File.Exists(canary));
        // The canary check itself can see files: prove it with a file we do create.
        await pool.RunAsync(SystemName, User1, new RemoteCommand($"touch {ShellQuote.Quote(canary)}"), CancellationToken.None);
        var seen = await pool.RunAsync(SystemName, User1, new RemoteCommand($"test -e {ShellQuote.Quote(canary)} && echo EXISTS; rm -f {ShellQuote.Quote(canary)}"), CancellationToken.None);
        Assert.Equal("EXISTS\n", seen.Stdout);
    }
}
