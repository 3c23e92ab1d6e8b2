using Firecrest.Core.Ssh;

namespace Firecrest.Core.Tests.Ssh;

public sealed class CommandExitStatusTests
{
    [Theory]
    [InlineData(0, null, 0)]
    [InlineData(2, null, 2)]
    [InlineData(1, "TERM", 1)]
    [InlineData(null, "KILL", 137)]
    [InlineData(null, "TERM", 143)]
    [InlineData(null, "SEGV", 139)]
    [InlineData(null, "XCPU", 128)]
    public void A_reported_status_or_signal_gives_the_shell_s_exit_status(int? status, string? signal, int expected) =>
        Assert.Equal(expected, SshCommandExecutor.ExitStatusOf(status, signal));

    [Fact]
    public void Neither_status_nor_signal_means_the_session_ended_without_reporting() =>
        Assert.Null(SshCommandExecutor.ExitStatusOf(null, null));
}
