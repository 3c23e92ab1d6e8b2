using System.Net;
using System.Text.Json.Nodes;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Tests.Client;

/// <summary>Each IHpcOperations method sends the method, path, query and body of the FirecREST v2 route.</summary>
public sealed class FirecrestClientRouteTests
{
    private const string TransferJobJson = """{"transferJob":{"jobId":"7","system":"c1","workingDirectory":"/home/u","logs":{"outputLog":"/o","errorLog":"/e"}}}""";
    private const string FileJson = """{"output":{"name":"d","type":"d","linkTarget":null,"user":"u","group":"g","permissions":"rwxr-xr-x","lastModified":"2026-01-01T00:00:00","size":"4096"}}""";

    public sealed record RouteCase(string Name, Func<IHpcOperations, Task> Call, HttpStatusCode Status, string Answer, string Method, string PathAndQuery, string? Body)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<RouteCase> Cases() =>
    [
        new("systems", o => o.Status.GetSystemsAsync(), HttpStatusCode.OK, """{"systems":[]}""", "GET", "/status/systems", null),
        new("nodes", o => o.Status.GetNodesAsync("c1"), HttpStatusCode.OK, """{"nodes":[]}""", "GET", "/status/c1/nodes", null),
        new("partitions", o => o.Status.GetPartitionsAsync("c1", showHidden: true), HttpStatusCode.OK, """{"partitions":[]}""", "GET", "/status/c1/partitions?show_hidden=true", null),
        new("reservations", o => o.Status.GetReservationsAsync("c1"), HttpStatusCode.OK, """{"reservations":[]}""", "GET", "/status/c1/reservations", null),
        new("userinfo", o => o.Status.GetUserInfoAsync("c1"), HttpStatusCode.OK, """{"user":{"id":"1","name":"u"},"group":{"id":"1","name":"g"},"groups":[]}""", "GET", "/status/c1/userinfo", null),

        new("submit", o => o.Compute.SubmitJobAsync("c1", new JobDescription { WorkingDirectory = "/home/u", Script = "#!/bin/bash\necho hi", Env = new() { ["A"] = "1" }, Account = "acc" }),
            HttpStatusCode.Created, """{"jobId":"42"}""", "POST", "/compute/c1/jobs",
            """{"job":{"account":"acc","workingDirectory":"/home/u","env":{"A":"1"},"script":"#!/bin/bash\necho hi"}}"""),
        new("jobs with filters", o => o.Compute.GetJobsAsync("c1", new JobQuery(true, "acc", "n 1", "3d")), HttpStatusCode.OK, """{"jobs":[]}""", "GET",
            "/compute/c1/jobs?allusers=true&account=acc&name=n%201&time_window=3d", null),
        new("jobs", o => o.Compute.GetJobsAsync("c1"), HttpStatusCode.OK, """{"jobs":null}""", "GET", "/compute/c1/jobs?allusers=false", null),
        new("job", o => o.Compute.GetJobAsync("c1", JobId.Parse("42")), HttpStatusCode.OK, """{"jobs":[]}""", "GET", "/compute/c1/jobs/42", null),
        new("metadata", o => o.Compute.GetJobMetadataAsync("c1", JobId.Parse("42")), HttpStatusCode.OK, """{"jobs":[]}""", "GET", "/compute/c1/jobs/42/metadata", null),
        new("attach", o => o.Compute.AttachAsync("c1", JobId.Parse("42"), "hostname"), HttpStatusCode.NoContent, "", "PUT", "/compute/c1/jobs/42/attach", """{"command":"hostname"}"""),
        new("cancel", o => o.Compute.CancelJobAsync("c1", JobId.Parse("42")), HttpStatusCode.NoContent, "", "DELETE", "/compute/c1/jobs/42", null),

        new("ls", o => o.Files.ListAsync("c1", RemotePath.Parse("/home/u"), new ListOptions(ShowHidden: true, Recursive: true)), HttpStatusCode.OK, """{"output":[]}""", "GET",
            "/filesystem/c1/ops/ls?path=%2Fhome%2Fu&showHidden=true&numericUid=false&recursive=true&dereference=false", null),
        new("head", o => o.Files.HeadAsync("c1", RemotePath.Parse("/f"), lines: 5, skipTrailing: true), HttpStatusCode.OK,
            """{"output":{"content":"x","contentType":"lines","startPosition":0,"endPosition":-5}}""", "GET", "/filesystem/c1/ops/head?path=%2Ff&lines=5&skipTrailing=true", null),
        new("tail", o => o.Files.TailAsync("c1", RemotePath.Parse("/f"), bytes: 7), HttpStatusCode.OK,
            """{"output":{"content":"x","contentType":"bytes","startPosition":-7,"endPosition":-1}}""", "GET", "/filesystem/c1/ops/tail?path=%2Ff&bytes=7&skipHeading=false", null),
        new("view", o => o.Files.ViewAsync("c1", RemotePath.Parse("/f"), 10, 2), HttpStatusCode.OK, """{"output":"abc"}""", "GET", "/filesystem/c1/ops/view?path=%2Ff&size=10&offset=2", null),
        new("checksum", o => o.Files.ChecksumAsync("c1", RemotePath.Parse("/f")), HttpStatusCode.OK, """{"output":{"algorithm":"SHA256","checksum":"ab"}}""", "GET", "/filesystem/c1/ops/checksum?path=%2Ff", null),
        new("file", o => o.Files.FileTypeAsync("c1", RemotePath.Parse("/f")), HttpStatusCode.OK, """{"output":"ASCII text"}""", "GET", "/filesystem/c1/ops/file?path=%2Ff", null),
        new("stat", o => o.Files.StatAsync("c1", RemotePath.Parse("/f"), dereference: true), HttpStatusCode.OK, """{"output":{"mode":33188,"size":3}}""", "GET", "/filesystem/c1/ops/stat?path=%2Ff&dereference=true", null),
        new("mkdir", o => o.Files.MakeDirectoryAsync("c1", RemotePath.Parse("/home/u/d"), parent: true), HttpStatusCode.Created, FileJson, "POST", "/filesystem/c1/ops/mkdir", """{"path":"/home/u/d","parent":true}"""),
        new("symlink", o => o.Files.SymlinkAsync("c1", RemotePath.Parse("/home/u/t"), RemotePath.Parse("/home/u/l")), HttpStatusCode.Created, FileJson, "POST", "/filesystem/c1/ops/symlink", """{"path":"/home/u/t","linkPath":"/home/u/l"}"""),
        new("chmod", o => o.Files.ChmodAsync("c1", RemotePath.Parse("/f"), "755"), HttpStatusCode.OK, FileJson, "PUT", "/filesystem/c1/ops/chmod", """{"path":"/f","mode":"755"}"""),
        new("chown", o => o.Files.ChownAsync("c1", RemotePath.Parse("/f"), "u", null), HttpStatusCode.OK, FileJson, "PUT", "/filesystem/c1/ops/chown", """{"path":"/f","owner":"u","group":""}"""),
        new("rm", o => o.Files.RemoveAsync("c1", RemotePath.Parse("/f")), HttpStatusCode.NoContent, "", "DELETE", "/filesystem/c1/ops/rm?path=%2Ff", null),
        new("download", o => o.Files.DownloadAsync("c1", RemotePath.Parse("/f")), HttpStatusCode.OK, "raw", "GET", "/filesystem/c1/ops/download?path=%2Ff", null),
        new("compress", o => o.Files.CompressAsync("c1", new CompressRequest(RemotePath.Parse("/s"), RemotePath.Parse("/t.tar.xz"), "*.c", true, CompressionType.Xz)), HttpStatusCode.NoContent, "", "POST",
            "/filesystem/c1/ops/compress", """{"sourcePath":"/s","targetPath":"/t.tar.xz","matchPattern":"*.c","dereference":true,"compression":"xz"}"""),
        new("extract", o => o.Files.ExtractAsync("c1", new ExtractRequest(RemotePath.Parse("/t.tgz"), RemotePath.Parse("/d"))), HttpStatusCode.NoContent, "", "POST",
            "/filesystem/c1/ops/extract", """{"sourcePath":"/t.tgz","targetPath":"/d","compression":"gzip"}"""),

        new("transfer upload", o => o.Transfers.StartUploadAsync("c1", RemotePath.Parse("/home/u/f"), 100, "acc"), HttpStatusCode.Created, TransferJobJson, "POST",
            "/filesystem/c1/transfer/upload", """{"path":"/home/u/f","account":"acc","transferDirectives":{"transferMethod":"s3","fileSize":100}}"""),
        new("transfer download", o => o.Transfers.StartDownloadAsync("c1", RemotePath.Parse("/home/u/f")), HttpStatusCode.Created, TransferJobJson, "POST",
            "/filesystem/c1/transfer/download", """{"path":"/home/u/f","transferDirectives":{"transferMethod":"s3"}}"""),
        new("transfer mv", o => o.Transfers.MoveAsync("c1", RemotePath.Parse("/a"), RemotePath.Parse("/b"), "acc"), HttpStatusCode.Created, TransferJobJson, "POST",
            "/filesystem/c1/transfer/mv", """{"sourcePath":"/a","targetPath":"/b","account":"acc"}"""),
        new("transfer cp", o => o.Transfers.CopyAsync("c1", RemotePath.Parse("/a"), RemotePath.Parse("/b"), dereference: true), HttpStatusCode.Created, TransferJobJson, "POST",
            "/filesystem/c1/transfer/cp", """{"sourcePath":"/a","targetPath":"/b","dereference":true}"""),
        new("transfer rm", o => o.Transfers.RemoveAsync("c1", RemotePath.Parse("/a"), "acc"), HttpStatusCode.OK, TransferJobJson, "DELETE", "/filesystem/c1/transfer/rm?path=%2Fa&account=acc", null),
        new("transfer compress", o => o.Transfers.CompressAsync("c1", new CompressRequest(RemotePath.Parse("/s"), RemotePath.Parse("/t.tgz")), "acc"), HttpStatusCode.Created, TransferJobJson, "POST",
            "/filesystem/c1/transfer/compress", """{"sourcePath":"/s","targetPath":"/t.tgz","dereference":false,"compression":"gzip","account":"acc"}"""),
        new("transfer extract", o => o.Transfers.ExtractAsync("c1", new ExtractRequest(RemotePath.Parse("/t.tbz"), RemotePath.Parse("/d"), CompressionType.Bzip2)), HttpStatusCode.Created, TransferJobJson, "POST",
            "/filesystem/c1/transfer/extract", """{"sourcePath":"/t.tbz","targetPath":"/d","compression":"bzip2"}"""),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_method_sends_its_route(RouteCase c)
    {
        var server = new FakeServer().Answer(c.Status, c.Answer);

        await c.Call(server.Client);

        var (request, body) = Assert.Single(server.Requests);
        Assert.Equal(c.Method, request.Method.Method);
        Assert.Equal("/api/v2" + c.PathAndQuery, request.RequestUri!.PathAndQuery);
        Assert.Equal("Bearer tok1", request.Headers.Authorization!.ToString());
        if (c.Body is null)
            Assert.Equal("", body);
        else
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(c.Body), JsonNode.Parse(body)), $"expected {c.Body}\nsent     {body}");
    }

    [Fact]
    public async Task Upload_sends_multipart_field_file_with_the_file_name_and_the_directory_as_path()
    {
        var server = new FakeServer().Answer(HttpStatusCode.NoContent);

        await server.Client.Files.UploadAsync("c1", RemotePath.Parse("/home/u"), "data 1.txt", new MemoryStream("hello"u8.ToArray()));

        var (request, body) = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/api/v2/filesystem/c1/ops/upload?path=%2Fhome%2Fu", request.RequestUri!.PathAndQuery);
        Assert.StartsWith("multipart/form-data", request.Content!.Headers.ContentType!.ToString());
        Assert.Contains("name=\"file\"", body);
        Assert.Contains("filename=\"data 1.txt\"", body);
        Assert.Contains("filename*=UTF-8''data%201.txt", body);
        Assert.Contains("hello", body);
    }

    [Fact]
    public async Task Answers_are_read_into_the_models()
    {
        var server = new FakeServer()
            .Answer(HttpStatusCode.OK, """{"output":[{"name":"a b","type":"-","linkTarget":null,"user":"u","group":"g","permissions":"rw-r--r--","lastModified":"2026-01-01T00:00:00","size":"12"}]}""")
            .Answer(HttpStatusCode.OK, """{"output":{"mode":33188,"ino":1,"dev":2,"nlink":1,"uid":1000,"gid":1000,"size":12,"atime":5,"mtime":6,"ctime":7}}""")
            .Answer(HttpStatusCode.Created, """{"jobId":"4711"}""")
            .Answer(HttpStatusCode.OK, """{"jobs":[{"jobId":"4711","name":"j","status":{"state":"RUNNING","stateReason":"None","exitCode":0,"interruptSignal":0},"time":{"limit":60}}]}""")
            .Answer(HttpStatusCode.OK, "\u0000\u0001raw");

        var files = await server.Client.Files.ListAsync("c1", RemotePath.Parse("/"));
        var stat = await server.Client.Files.StatAsync("c1", RemotePath.Parse("/a b"));
        var id = await server.Client.Compute.SubmitJobAsync("c1", new JobDescription { WorkingDirectory = "/", Script = "x" });
        var jobs = await server.Client.Compute.GetJobAsync("c1", JobId.Parse(id));
        var bytes = await server.Client.Files.DownloadAsync("c1", RemotePath.Parse("/a b"));

        Assert.Equal(("a b", "12"), (files.Single().Name, files.Single().Size));
        Assert.Equal((33188L, 1000L, 7L), (stat.Mode, stat.Uid, stat.Ctime));
        Assert.Equal("4711", id);
        Assert.Equal((JobState.Running, 60L), (jobs.Single().State, jobs.Single().Time.Limit));
        Assert.Equal("\u0000\u0001raw"u8.ToArray(), bytes);
    }

    [Fact]
    public async Task A_numeric_job_id_of_an_older_server_is_read_as_text()
    {
        var server = new FakeServer().Answer(HttpStatusCode.Created, """{"jobId":123}""");
        Assert.Equal("123", await server.Client.Compute.SubmitJobAsync("c1", new JobDescription { WorkingDirectory = "/", Script = "x" }));
    }

    [Fact]
    public async Task System_names_and_job_ids_are_escaped_in_the_path()
    {
        var server = new FakeServer().Answer(HttpStatusCode.OK, """{"jobs":[]}""");
        await server.Client.Compute.GetJobAsync("c/1", JobId.Parse("4_[1-3]"));
        Assert.Equal("/api/v2/compute/c%2F1/jobs/4_%5B1-3%5D", server.Requests.Single().Request.RequestUri!.PathAndQuery);
    }
}
