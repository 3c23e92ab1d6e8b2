using System.Diagnostics;
using System.Text;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Tests.Ssh;

/// <summary>The framing of commands run in a reused shell, checked through real local shells.</summary>
public class ShellFrameTests
{
    private static readonly byte[] Mark = Encoding.ASCII.GetBytes("fc-end-0123456789ABCDEF0123456789ABCDEF");

    [Theory]
    [InlineData("out", 0)]
    [InlineData("", 0)]
    [InlineData("a\nb\n", 17)]
    [InlineData("no newline", 255)]
    public void The_end_is_found_with_its_status_after_any_output(string output, int status)
    {
        var received = Encoding.UTF8.GetBytes($"{output}{Encoding.ASCII.GetString(Mark)} {status}\n");
        Assert.Equal(Encoding.UTF8.GetByteCount(output), ShellFrame.FindEnd(received, Mark, withStatus: true, 0, out var read));
        Assert.Equal(status, read);
    }

    [Theory]
    [InlineData("out")]
    [InlineData("outfc-end-0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("outfc-end-0123456789ABCDEF0123456789ABCDEF 1")]
    [InlineData("outfc-end-0123456789ABCDEF0123456789ABCDE")]
    [InlineData("outfc-end-0123456789ABCDEF0123456789ABCDEF x\n")]
    public void An_end_that_has_not_arrived_whole_is_not_an_end(string received) =>
        Assert.Equal(-1, ShellFrame.FindEnd(Encoding.UTF8.GetBytes(received), Mark, withStatus: true, 0, out _));

    [Fact]
    public void The_stderr_end_has_no_status()
    {
        var received = Encoding.UTF8.GetBytes("warning\n" + Encoding.ASCII.GetString(Mark) + "\n");
        Assert.Equal(8, ShellFrame.FindEnd(received, Mark, withStatus: false, 0, out _));
    }

    [Fact]
    public void Marks_differ_every_time() => Assert.NotEqual(ShellFrame.NewMark(), ShellFrame.NewMark());

    public static TheoryData<string, string, string, int> Commands => new()
    {
        { "printf 'out'; printf 'err' >&2; exit 3", "out", "err", 3 },
        { "echo \"it's\" 'a \"b\"' \\$HOME", "it's a \"b\" $HOME\n", "", 0 },
        { "printf '%s' 'two\nlines'", "two\nlines", "", 0 },
        { "exec echo replaced", "replaced\n", "", 0 },
        { "cat", "", "", 0 },
        { "fc_s=9; false", "", "", 1 },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_wrapped_command_runs_alone_in_dash_and_bash_and_the_next_one_still_runs(string line, string stdout, string stderr, int status)
    {
        foreach (var shell in new[] { "dash", "bash" })
        {
            var (first, second) = await RunTwiceAsync(shell, line, "echo next");
            Assert.Equal((status, stdout, stderr), first);
            Assert.Equal((0, "next\n", ""), second);
        }
    }

    [Fact]
    public async Task A_syntax_error_fails_its_command_alone()
    {
        foreach (var shell in new[] { "dash", "bash" })
        {
            var (first, second) = await RunTwiceAsync(shell, "if then fi (", "echo next");
            Assert.NotEqual(0, first.Status);
            Assert.Equal((0, "next\n"), (second.Status, second.Stdout));
        }
    }

    // Feeds two wrapped commands to one shell reading its stdin, as the reused shell does, and splits its output.
    private static async Task<((int Status, string Stdout, string Stderr), (int Status, string Stdout, string Stderr))> RunTwiceAsync(string shell, string a, string b)
    {
        var (markA, markB) = (ShellFrame.NewMark(), ShellFrame.NewMark());
        var psi = new ProcessStartInfo(shell, "-s") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdoutTask = ReadAllAsync(process.StandardOutput.BaseStream);
        var stderrTask = ReadAllAsync(process.StandardError.BaseStream);
        await process.StandardInput.BaseStream.WriteAsync(ShellFrame.Wrap(a, markA));
        await process.StandardInput.BaseStream.WriteAsync(ShellFrame.Wrap(b, markB));
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        var (stdout, stderr) = (await stdoutTask, await stderrTask);
        return (Split(stdout, stderr, markA, 0, 0, out var outNext, out var errNext), Split(stdout, stderr, markB, outNext, errNext, out _, out _));
    }

    private static (int, string, string) Split(byte[] stdout, byte[] stderr, string mark, int outFrom, int errFrom, out int outNext, out int errNext)
    {
        var m = Encoding.ASCII.GetBytes(mark);
        var outEnd = ShellFrame.FindEnd(stdout.AsSpan(outFrom), m, withStatus: true, 0, out var status);
        var errEnd = ShellFrame.FindEnd(stderr.AsSpan(errFrom), m, withStatus: false, 0, out _);
        Assert.True(outEnd >= 0 && errEnd >= 0, $"no end mark: {Encoding.UTF8.GetString(stdout)} / {Encoding.UTF8.GetString(stderr)}");
        outNext = outFrom + outEnd + stdout.AsSpan(outFrom + outEnd).IndexOf((byte)'\n') + 1;
        errNext = errFrom + errEnd + m.Length + 1;
        return (status, Encoding.UTF8.GetString(stdout, outFrom, outEnd), Encoding.UTF8.GetString(stderr, errFrom, errEnd));
    }

    private static async Task<byte[]> ReadAllAsync(Stream s)
    {
        using var buffer = new MemoryStream();
        await s.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
