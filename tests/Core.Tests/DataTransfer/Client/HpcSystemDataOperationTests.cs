using System.Text.Json;
using Firecrest.Core.Json;
using Firecrest.Core.Models;

namespace Firecrest.Core.Tests.DataTransfer.Client;

public sealed class HpcSystemDataOperationTests
{
    [Fact]
    public void Upstream_dataOperation_shape_gives_max_ops_file_size_and_service_type()
    {
        const string json = """
            {"name":"cluster","fileSystems":[],"dataOperation":{"datatransfer_jobs_directives":["#SBATCH --account={account}"],
             "max_ops_file_size":1048576,"data_transfer":{"service_type":"s3","public_url":"http://x","multipart":{"max_part_size":5}}}}
            """;
        var s = JsonSerializer.Deserialize<HpcSystem>(json, FirecrestJson.Options)!;
        Assert.Equal(1048576, s.DataOperation!.MaxOpsFileSize);
        Assert.Equal(TransferMethod.S3, s.DataOperation.DataTransfer!.ServiceType);
        Assert.True(s.DataOperation.Extra!.ContainsKey("datatransfer_jobs_directives"));
        Assert.Null(s.Extra);
        var back = JsonSerializer.Serialize(s, FirecrestJson.Options);
        Assert.Contains("\"dataOperation\":{\"max_ops_file_size\":1048576", back);
    }

    [Fact]
    public void The_camelCase_serviceType_that_servers_send_is_read_and_written_back_as_service_type()
    {
        const string json = """
            {"name":"streamer","dataOperation":{"max_ops_file_size":1048576,
             "data_transfer":{"serviceType":"streamer","host":"127.0.0.1","portRange":[27100,27149]}}}
            """;
        var s = JsonSerializer.Deserialize<HpcSystem>(json, FirecrestJson.Options)!;
        Assert.Equal(TransferMethod.Streamer, s.DataOperation!.DataTransfer!.ServiceType);
        var back = JsonSerializer.Serialize(s, FirecrestJson.Options);
        Assert.Contains("\"service_type\":\"streamer\"", back, StringComparison.Ordinal);
        Assert.DoesNotContain("\"serviceType\"", back, StringComparison.Ordinal);
    }
}
