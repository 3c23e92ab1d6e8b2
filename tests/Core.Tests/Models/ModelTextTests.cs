using Firecrest.Core.Models;

namespace Firecrest.Core.Tests.Models;

/// <summary>The text of nested status models, which PowerShell and string interpolation print instead of type names.</summary>
public sealed class ModelTextTests
{
    [Theory]
    [InlineData("1001", "fireuser", "fireuser (1001)")]
    [InlineData("", "fireuser", "fireuser")]
    public void IdName_is_name_and_id(string id, string name, string expected) =>
        Assert.Equal(expected, new IdName { Id = id, Name = name }.ToString());

    [Fact]
    public void The_default_account_says_so() =>
        Assert.Equal(["hpcproj (default)", "hpcproj2"],
            new[] { new SchedulerAccount { Name = "hpcproj", Default = true }, new SchedulerAccount { Name = "hpcproj2" } }.Select(a => a.ToString()));

    [Fact]
    public void Service_health_names_the_service_and_the_verdict()
    {
        Assert.Equal("ssh: healthy", new ServiceHealth { ServiceType = HealthServiceType.Ssh, Healthy = true }.ToString());
        Assert.Equal("ssh: unhealthy (refused)", new ServiceHealth { ServiceType = HealthServiceType.Ssh, Healthy = false, Message = "refused" }.ToString());
    }

    [Fact]
    public void Scheduler_file_system_and_data_operation_read_as_text()
    {
        Assert.Equal("slurm 22.05.8 (ssh)", new HpcSystemScheduler { Type = "slurm", Version = "22.05.8", ConnectionMode = "ssh" }.ToString());
        Assert.Equal("pbs", new HpcSystemScheduler { Type = "pbs" }.ToString());
        Assert.Equal("/home (users)", new HpcFileSystem { Path = "/home", DataType = FileSystemDataType.Users }.ToString());
        Assert.Equal("max_ops_file_size 1048576, transfers none", new HpcDataOperation { MaxOpsFileSize = 1048576 }.ToString());
    }
}
