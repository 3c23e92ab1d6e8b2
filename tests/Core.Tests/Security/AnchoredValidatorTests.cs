using Firecrest.Core.Models;
using Firecrest.Core.Batch;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.Engine;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Schedulers;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Tests.Security;

/// <summary>
/// Every validator accepts its plain value and refuses the same value with a trailing newline (a regex ending in
/// <c>$</c> matches before a final <c>\n</c>; the validators end in <c>\z</c>).
/// </summary>
public sealed class AnchoredValidatorTests
{
    private static void AcceptsPlainRefusesTrailingNewline(string plain, Action<string> validate)
    {
        validate(plain);
        var e = Assert.ThrowsAny<HpcException>(() => validate(plain + "\n"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    [Theory]
    [InlineData("755")]
    [InlineData("u+x,g-w")]
    public void Chmod_mode(string mode) => AcceptsPlainRefusesTrailingNewline(mode, m => OpsArguments.CheckMode(m));

    [Fact]
    public void Chown_owner_and_group()
    {
        AcceptsPlainRefusesTrailingNewline("fireuser", o => OpsArguments.CheckOwnerGroup(o, null));
        AcceptsPlainRefusesTrailingNewline("hpc", g => OpsArguments.CheckOwnerGroup(null, g));
    }

    [Fact]
    public void Transfer_account() => AcceptsPlainRefusesTrailingNewline("hpcproj", TransferJobDirectives.CheckAccount);

    [Theory]
    [InlineData("12_3")]
    [InlineData("42")]
    [InlineData("123[4].server")]
    public void Job_id(string id) => AcceptsPlainRefusesTrailingNewline(id, i => _ = JobId.Parse(i));

    [Fact]
    public void Slurm_export_variable_name() =>
        AcceptsPlainRefusesTrailingNewline("MY_VAR", n => SlurmCliCommands.ExportList(new Dictionary<string, string> { [n] = "x" }));

    [Fact]
    public void Remote_command_environment_name() =>
        AcceptsPlainRefusesTrailingNewline("MY_VAR", n => RemoteCommandLine.Build(new RemoteCommand("true") { Environment = new Dictionary<string, string> { [n] = "x" } }));

    [Theory]
    [InlineData("name", "A")]
    [InlineData("env", "GREETING")]
    [InlineData("partition", "debug")]
    [InlineData("memory", "4G")]
    [InlineData("time", "00:05:00")]
    public void Batch_file_fields(string field, string plain)
    {
        static string Yaml(string field, string value)
        {
            var v = System.Text.Json.JsonSerializer.Serialize(value); // a JSON string is a YAML double-quoted scalar
            var name = field == "name" ? v : "A";
            var env = field == "env" ? $"env: {{{v}: x}}" : "env: {}";
            var partition = field == "partition" ? v : "debug";
            var memory = field == "memory" ? v : "1G";
            var time = field == "time" ? v : "\"10\"";
            return $"system: cluster\njobs:\n  {name}:\n    script: echo a\n    workingDirectory: /tmp\n    {env}\n    resources: {{partition: {partition}, memory: {memory}, time: {time}}}\n";
        }
        BatchFile.Parse(Yaml(field, plain));
        Assert.Throws<BatchValidationException>(() => BatchFile.Parse(Yaml(field, plain + "\n")));
    }
}
