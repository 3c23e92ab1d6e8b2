using System.Text.Json;
using Firecrest.Core.Configuration;
using Firecrest.Core.Json;
using Firecrest.Core.Models;

namespace Firecrest.Core.Tests.Json;

public sealed class WireEnumJsonTests
{
    public static TheoryData<Enum, string> WireStrings() => new()
    {
        { TransferMethod.S3, "s3" },
        { TransferMethod.Streamer, "streamer" },
        { TransferMethod.Wormhole, "wormhole" },
        { HealthServiceType.Ssh, "ssh" },
        { HealthServiceType.Scheduler, "scheduler" },
        { HealthServiceType.Filesystem, "filesystem" },
        { HealthServiceType.S3, "s3" },
        { HealthServiceType.Exception, "exception" },
        { FileSystemDataType.Users, "users" },
        { FileSystemDataType.Store, "store" },
        { FileSystemDataType.Archive, "archive" },
        { FileSystemDataType.Apps, "apps" },
        { FileSystemDataType.Scratch, "scratch" },
        { FileSystemDataType.Project, "project" },
        { SshCredentialsType.SshStaticKeys, "SSHStaticKeys" },
        { SshCredentialsType.SshService, "SSHService" },
        { SshCredentialsType.SshCa, "SSHCA" },
    };

    [Theory]
    [MemberData(nameof(WireStrings))]
    public void Wire_string_round_trips_with_the_wire_options_and_with_default_options(Enum value, string wire)
    {
        var type = value.GetType();
        Assert.Equal(wire, WireNames.Of(value));
        foreach (var options in new[] { FirecrestJson.Options, JsonSerializerOptions.Default })
        {
            if (type == typeof(SshCredentialsType) && options == JsonSerializerOptions.Default) continue; // settings only, no own converter
            Assert.Equal($"\"{wire}\"", JsonSerializer.Serialize(value, type, options));
            Assert.Equal(value, JsonSerializer.Deserialize($"\"{wire}\"", type, options));
        }
    }

    [Fact]
    public void Wire_models_carry_the_wire_strings()
    {
        var json = JsonSerializer.Serialize(new HpcSystem
        {
            Name = "c",
            ServicesHealth = [new ServiceHealth { ServiceType = HealthServiceType.Filesystem, Path = "/home", Healthy = true }],
            FileSystems = [new HpcFileSystem { Path = "/scratch", DataType = FileSystemDataType.Scratch }],
            DataOperation = new HpcDataOperation { DataTransfer = new HpcDataTransfer { ServiceType = TransferMethod.Wormhole } },
        }, FirecrestJson.Options);

        Assert.Contains("\"serviceType\":\"filesystem\"", json, StringComparison.Ordinal);
        Assert.Contains("\"dataType\":\"scratch\"", json, StringComparison.Ordinal);
        Assert.Contains("\"service_type\":\"wormhole\"", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<HpcSystem>(json, FirecrestJson.Options)!;
        Assert.Equal(HealthServiceType.Filesystem, back.ServicesHealth![0].ServiceType);
        Assert.Equal(FileSystemDataType.Scratch, back.FileSystems[0].DataType);
        Assert.Equal(TransferMethod.Wormhole, back.DataOperation!.DataTransfer!.ServiceType);
        Assert.Equal("{\"transferMethod\":\"streamer\"}",
            JsonSerializer.Serialize(new { transferMethod = TransferMethod.Streamer }, FirecrestJson.Options));
    }

    [Theory]
    [InlineData("\"ftp\"")]
    [InlineData("0")]
    [InlineData("\"\"")]
    public void Unknown_values_and_numbers_are_refused(string json)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TransferMethod>(json, FirecrestJson.Options));
        Assert.Contains("s3, streamer, wormhole", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enums_keyed_dictionaries_use_the_wire_strings()
    {
        var json = JsonSerializer.Serialize(new Dictionary<HealthServiceType, int> { [HealthServiceType.S3] = 1 }, FirecrestJson.Options);

        Assert.Equal("{\"s3\":1}", json);
        Assert.Equal(1, JsonSerializer.Deserialize<Dictionary<HealthServiceType, int>>(json, FirecrestJson.Options)![HealthServiceType.S3]);
    }
}
