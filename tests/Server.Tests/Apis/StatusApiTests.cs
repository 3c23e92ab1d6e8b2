using Firecrest.Core.Models;
using Firecrest.Core;
using Firecrest.Server.Tests.Infrastructure;

namespace Firecrest.Server.Tests.Apis;

public sealed class StatusApiTests : IDisposable
{
    private readonly FirecrestFactory _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Liveness_needs_no_token_and_reports_last_runs()
    {
        _f.Engine.Runs["cluster"] = DateTimeOffset.UtcNow.AddSeconds(-30);
        var body = await (await _f.CreateClient().GetAsync("/status/liveness/")).AssertStatus(200);
        Assert.Equal(["healthcheckRuns", "lastUpdate"], body.Keys());
        Assert.True(body.GetProperty("healthcheckRuns").TryGetProperty("cluster", out _));
        Assert.InRange(body.GetProperty("lastUpdate").GetInt64(), 29, 60);
    }

    [Fact]
    public async Task Systems_mask_secrets_and_leave_out_the_service_account()
    {
        var response = await _f.ClientFor().GetAsync("/status/systems");
        var text = await response.Content.ReadAsStringAsync();
        var body = await response.AssertStatus(200);
        var system = body.GetProperty("systems")[0];
        Assert.Equal(["name", "ssh", "scheduler", "servicesHealth", "probing", "lastHealthCheck", "fileSystems", "dataOperation"], system.Keys());
        Assert.DoesNotContain("top-secret-value", text);
        Assert.DoesNotContain("SECRET-KEY", text);
        Assert.DoesNotContain("serviceAccount", text);
        var dataOp = system.GetProperty("dataOperation");
        Assert.Equal(["datatransfer_jobs_directives", "max_ops_file_size", "data_transfer"], dataOp.Keys());
        var s3 = dataOp.GetProperty("data_transfer");
        Assert.Equal("**********", s3.GetProperty("secretAccessKey").GetString());
        Assert.Equal("**********", s3.GetProperty("accessKeyId").GetString());
        Assert.Equal("**********", s3.GetProperty("privateUrl").GetString());
        Assert.Equal("http://public:9000", s3.GetProperty("publicUrl").GetString());
        Assert.Equal(["use_split", "max_part_size", "parallel_runs", "tmp_folder"], s3.GetProperty("multipart").Keys());
        Assert.Equal("slurm", system.GetProperty("scheduler").GetProperty("type").GetString());
        Assert.Equal("ssh", system.GetProperty("scheduler").GetProperty("connectionMode").GetString());
    }

    [Fact]
    public async Task Nodes_partitions_reservations_and_userinfo_answer_in_their_wrappers()
    {
        var client = _f.ClientFor();
        var nodes = await (await client.GetAsync("/status/cluster/nodes")).AssertStatus(200);
        Assert.Equal("nid01", nodes.GetProperty("nodes")[0].GetProperty("name").GetString());
        var partitions = await (await client.GetAsync("/status/cluster/partitions?show_hidden=true")).AssertStatus(200);
        Assert.Equal(["name", "cpus", "totalNodes", "partition"], partitions.GetProperty("partitions")[0].Keys());
        Assert.Equal(true, _f.Engine.Last("GetPartitions").Args[1]);
        var reservations = await (await client.GetAsync("/status/cluster/reservations")).AssertStatus(200);
        Assert.Equal(["name", "nodeList", "endTime", "startTime", "features", "state"], reservations.GetProperty("reservations")[0].Keys());
        var info = await (await client.GetAsync("/status/cluster/userinfo")).AssertStatus(200);
        Assert.Equal(["user", "group", "groups", "accounts"], info.Keys());
        Assert.Equal("fireuser", info.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("fireuser", _f.Engine.Last("GetUserInfo").User.Username);
    }

    [Fact]
    public async Task Unknown_system_is_404_System_not_found()
    {
        var response = await _f.ClientFor().GetAsync("/status/nosuch/nodes");
        var body = await response.AssertError(404, "System not found");
        Assert.Equal("fireuser", body.GetProperty("user").GetString());
    }

    [Fact]
    public async Task Empty_node_list_is_the_upstream_500()
    {
        _f.Engine.Nodes = [];
        await (await _f.ClientFor().GetAsync("/status/cluster/nodes")).AssertError(500, "404: No nodes found");
    }

    [Fact]
    public async Task Status_errors_are_500_as_upstream()
    {
        _f.Engine.Failures["GetReservations"] = new HpcException(HpcErrorKind.PermissionDenied, "sinfo: denied");
        await (await _f.ClientFor().GetAsync("/status/cluster/reservations")).AssertError(500, "sinfo: denied");
    }

    [Fact]
    public async Task Userinfo_is_503_when_ssh_is_unhealthy()
    {
        _f.Engine.Unhealthy.Add(("cluster", "ssh"));
        await (await _f.ClientFor().GetAsync("/status/cluster/userinfo")).AssertError(503, "The ssh service for the requested system (cluster) is unhealthy.");
    }

    [Fact]
    public async Task Bad_boolean_query_is_400_validation_with_fields()
    {
        var body = await (await _f.ClientFor().GetAsync("/status/cluster/partitions?show_hidden=maybe")).AssertError(400);
        Assert.Equal("validation", body.GetProperty("errorType").GetString());
        var field = body.GetProperty("data").GetProperty("fields")[0];
        Assert.Equal("query", field.GetProperty("location").GetString());
        Assert.Equal("show_hidden", field.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Systems_show_a_health_change_at_once()
    {
        var client = _f.ClientFor();
        var before = await (await client.GetAsync("/status/systems")).AssertStatus(200);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, before.GetProperty("systems")[0].GetProperty("servicesHealth").ValueKind);

        var checkedAt = DateTimeOffset.UtcNow;
        _f.Engine.Results["cluster"] = [new ServiceHealth { ServiceType = HealthServiceType.Ssh, Healthy = false, Message = "down", LastChecked = checkedAt }];
        _f.Engine.Runs["cluster"] = checkedAt;
        var unhealthy = (await (await client.GetAsync("/status/systems")).AssertStatus(200)).GetProperty("systems")[0];
        Assert.False(unhealthy.GetProperty("servicesHealth")[0].GetProperty("healthy").GetBoolean());
        Assert.Equal("down", unhealthy.GetProperty("servicesHealth")[0].GetProperty("message").GetString());
        Assert.Equal(checkedAt, unhealthy.GetProperty("lastHealthCheck").GetDateTimeOffset());

        _f.Engine.Results["cluster"] = [new ServiceHealth { ServiceType = HealthServiceType.Ssh, Healthy = true, LastChecked = checkedAt.AddSeconds(1) }];
        var healthy = (await (await client.GetAsync("/status/systems")).AssertStatus(200)).GetProperty("systems")[0];
        Assert.True(healthy.GetProperty("servicesHealth")[0].GetProperty("healthy").GetBoolean());

        _f.Engine.Runs["cluster"] = checkedAt.AddSeconds(60);
        var later = (await (await client.GetAsync("/status/systems")).AssertStatus(200)).GetProperty("systems")[0];
        Assert.Equal(checkedAt.AddSeconds(60), later.GetProperty("lastHealthCheck").GetDateTimeOffset());
    }

    [Fact]
    public async Task Systems_answer_is_json_with_its_length_and_the_same_bytes_each_time()
    {
        var client = _f.ClientFor();
        var first = await client.GetAsync("/status/systems");
        var second = await client.GetAsync("/status/systems");
        Assert.Equal("application/json; charset=utf-8", first.Content.Headers.ContentType?.ToString());
        var a = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(a.Length, first.Content.Headers.ContentLength);
        Assert.Equal(a, await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Systems_without_the_username_claim_is_400()
    {
        var client = _f.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", _f.Tokens.Create(user: null));
        await (await client.GetAsync("/status/systems")).AssertError(400, "Authentication token 'preferred_username' claim is missing");
    }
}
