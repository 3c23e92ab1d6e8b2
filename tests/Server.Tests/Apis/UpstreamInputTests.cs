using System.Net.Http.Headers;
using System.Text;
using Firecrest.Core.Models;
using Firecrest.Server.Tests.Infrastructure;

namespace Firecrest.Server.Tests.Apis;

/// <summary>Request bodies and query values read as upstream's FastAPI/pydantic reads them.</summary>
public sealed class UpstreamInputTests : IDisposable
{
    private readonly FirecrestFactory _f = new();

    public void Dispose() => _f.Dispose();

    private static ByteArrayContent Raw(string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    public async Task Json_body_without_or_with_a_wrong_content_type_is_read(string? contentType)
    {
        var response = await _f.ClientFor().PostAsync("/filesystem/cluster/ops/mkdir", Raw("""{"path":"/home/d","parent":true}""", contentType));
        await response.AssertStatus(201);
        Assert.Equal(new object?[] { "cluster", "/home/d", true }, _f.Engine.Last("Mkdir").Args);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Form_body_on_a_json_route_is_a_400_validation_error(string contentType)
    {
        var body = await (await _f.ClientFor().PostAsync("/filesystem/cluster/ops/mkdir", Raw("path=/home/d", contentType))).AssertError(400);
        Assert.Equal("validation", body.GetProperty("errorType").GetString());
        Assert.Equal("body", body.GetProperty("data").GetProperty("fields")[0].GetProperty("location").GetString());
        Assert.Equal(0, _f.Engine.Count("Mkdir"));
    }

    [Fact]
    public async Task Body_that_is_not_json_without_content_type_is_400()
    {
        await (await _f.ClientFor().PostAsync("/filesystem/cluster/ops/mkdir", Raw("not json", null))).AssertError(400);
        Assert.Equal(0, _f.Engine.Count("Mkdir"));
    }

    [Theory]
    [InlineData("\"true\"", true)]
    [InlineData("\"YES\"", true)]
    [InlineData("\"on\"", true)]
    [InlineData("1", true)]
    [InlineData("\"0\"", false)]
    [InlineData("\"Off\"", false)]
    [InlineData("\"no\"", false)]
    [InlineData("false", false)]
    public async Task Body_booleans_accept_pydantic_words(string json, bool expected)
    {
        await (await _f.ClientFor().PostAsync("/filesystem/cluster/ops/mkdir", Http.Json($$"""{"path":"/home/d","parent":{{json}}}"""))).AssertStatus(201);
        Assert.Equal(expected, _f.Engine.Last("Mkdir").Args[2]);
    }

    [Theory]
    [InlineData("\"maybe\"")]
    [InlineData("2")]
    [InlineData("null")]
    public async Task Body_booleans_refuse_other_values_and_null(string json)
    {
        await (await _f.ClientFor().PostAsync("/filesystem/cluster/ops/mkdir", Http.Json($$"""{"path":"/home/d","parent":{{json}}}"""))).AssertError(400);
        Assert.Equal(0, _f.Engine.Count("Mkdir"));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("ON", true)]
    [InlineData("True", true)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    public async Task Query_booleans_accept_pydantic_words(string word, bool expected)
    {
        await (await _f.ClientFor().GetAsync($"/compute/cluster/jobs?allusers={word}")).AssertStatus(200);
        Assert.Equal(expected, ((JobQuery)_f.Engine.Last("GetJobs").Args[1]!).AllUsers);
        await (await _f.ClientFor().GetAsync($"/filesystem/cluster/ops/ls?path=/home/f&showHidden={word}&recursive={word}")).AssertStatus(200);
        Assert.Equal(new ListOptions(expected, false, expected, false), _f.Engine.Last("List").Args[2]);
    }

    [Fact]
    public async Task Query_booleans_already_in_binder_form_and_words_mix_on_one_endpoint()
    {
        // The endpoint's parameter kinds are found once; each request's values are still read and rewritten as needed.
        await (await _f.ClientFor().GetAsync("/filesystem/cluster/ops/ls?path=/home/f&showHidden=true&recursive=false")).AssertStatus(200);
        Assert.Equal(new ListOptions(true, false, false, false), _f.Engine.Last("List").Args[2]);
        await (await _f.ClientFor().GetAsync("/filesystem/cluster/ops/ls?path=/home/f&SHOWHIDDEN=off&recursive=yes")).AssertStatus(200);
        Assert.Equal(new ListOptions(false, false, true, false), _f.Engine.Last("List").Args[2]);
        var body = await (await _f.ClientFor().GetAsync("/filesystem/cluster/ops/ls?path=/home/f&showHidden=true&recursive=perhaps")).AssertError(400);
        Assert.Equal("recursive", body.GetProperty("data").GetProperty("fields")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Query_boolean_that_is_no_word_is_400()
    {
        var body = await (await _f.ClientFor().GetAsync("/compute/cluster/jobs?allusers=maybe")).AssertError(400);
        Assert.Equal("allusers", body.GetProperty("data").GetProperty("fields")[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task Query_integer_that_is_no_integer_is_400_naming_it(string value)
    {
        var body = await (await _f.ClientFor().GetAsync($"/filesystem/cluster/ops/head?path=/home/f&bytes={value}")).AssertError(400);
        Assert.Equal("validation", body.GetProperty("errorType").GetString());
        var field = body.GetProperty("data").GetProperty("fields")[0];
        Assert.Equal("bytes", field.GetProperty("name").GetString());
        Assert.Equal("query", field.GetProperty("location").GetString());
    }

    [Fact]
    public async Task Query_integer_reaches_the_engine()
    {
        await (await _f.ClientFor().GetAsync("/filesystem/cluster/ops/head?path=/home/f&bytes=-12")).AssertStatus(200);
        Assert.Equal(-12L, _f.Engine.Last("Head").Args[2]);
    }

    [Fact]
    public async Task Empty_account_and_name_reach_the_engine_as_no_filter()
    {
        await (await _f.ClientFor().GetAsync("/compute/cluster/jobs?account=&name=")).AssertStatus(200);
        Assert.Equal(new JobQuery(), _f.Engine.Last("GetJobs").Args[1]);
    }

    [Theory]
    [InlineData("""{"path":"/home/p","sourcePath":"/home/s","targetPath":"/home/t"}""")]
    [InlineData("""{"sourcePath":"/home/s","path":"/home/p","targetPath":"/home/t"}""")]
    [InlineData("""{"path":"/home/p","source_path":"/home/s","targetPath":"/home/t"}""")]
    public async Task Source_path_wins_over_path_in_either_order(string json)
    {
        await (await _f.ClientFor().PostAsync("/filesystem/cluster/transfer/mv", Http.Json(json))).AssertStatus(201);
        Assert.Equal("/home/s", _f.Engine.Last("TransferMv").Args[1]);
        await (await _f.ClientFor().PostAsync("/filesystem/cluster/ops/mkdir", Http.Json(json))).AssertStatus(201);
        Assert.Equal("/home/s", _f.Engine.Last("Mkdir").Args[1]);
    }

    [Theory]
    [InlineData("""{"env":{"A":"env"},"environment":{"A":"environment"}}""")]
    [InlineData("""{"environment":{"A":"environment"},"env":{"A":"env"}}""")]
    public async Task Env_wins_over_environment_in_either_order(string env)
    {
        var json = """{"job":{"workingDirectory":"/home/w","script":"true",""" + env[1..^1] + "}}";
        await (await _f.ClientFor().PostAsync("/compute/cluster/jobs", Http.Json(json))).AssertStatus(201);
        Assert.Equal("env", ((JobDescription)_f.Engine.Last("SubmitJob").Args[1]!).Env!["A"]);
    }

    [Theory]
    [InlineData("/filesystem/cluster/ops/mkdir", """{"path":null}""")]
    [InlineData("/filesystem/cluster/ops/compress", """{"sourcePath":"/home/a","targetPath":"/home/b","compression":null}""")]
    [InlineData("/filesystem/cluster/ops/compress", """{"sourcePath":"/home/a","targetPath":"/home/b","dereference":null}""")]
    [InlineData("/filesystem/cluster/transfer/cp", """{"sourcePath":"/home/a","targetPath":null}""")]
    [InlineData("/compute/cluster/jobs", """{"job":null}""")]
    public async Task Null_where_upstream_requires_a_value_is_400(string route, string json)
    {
        await (await _f.ClientFor().PostAsync(route, Http.Json(json))).AssertError(400);
    }
}
