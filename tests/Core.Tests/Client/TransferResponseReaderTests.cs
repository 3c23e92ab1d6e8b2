using Firecrest.Core.Models;
using Firecrest.Core.Client;

namespace Firecrest.Core.Tests.Client;

/// <summary>Transfer answers of every server generation: camelCase, snake_case (issue #162) and top-level keys.</summary>
public sealed class TransferResponseReaderTests
{
    [Fact]
    public void CamelCase_upload_directives_are_read()
    {
        var r = TransferResponseReader.Read("""
            {"transferJob":{"jobId":"5","system":"c1","workingDirectory":"/home/u","logs":{"outputLog":"/o","errorLog":"/e"}},
             "transferDirectives":{"transferMethod":"s3","partsUploadUrls":["http://s3/1","http://s3/2"],"completeUploadUrl":"http://s3/c","maxPartSize":1024}}
            """);
        Assert.Equal(("5", "c1", "/o"), (r.TransferJob.JobId, r.TransferJob.System, r.TransferJob.Logs.OutputLog));
        Assert.Equal(["http://s3/1", "http://s3/2"], r.TransferDirectives!.PartsUploadUrls);
        Assert.Equal(("http://s3/c", 1024L), (r.TransferDirectives.CompleteUploadUrl, r.TransferDirectives.MaxPartSize));
    }

    [Fact]
    public void Snake_case_directives_of_older_servers_are_read()
    {
        var r = TransferResponseReader.Read("""
            {"transferJob":{"job_id":"6","system":"c1","working_directory":"/w","logs":{"output_log":"/o","error_log":"/e"}},
             "transferDirectives":{"transfer_method":"s3","parts_upload_urls":["http://s3/1"],"complete_upload_url":"http://s3/c","max_part_size":"2048"}}
            """);
        Assert.Equal(("6", "/w", "/e"), (r.TransferJob.JobId, r.TransferJob.WorkingDirectory, r.TransferJob.Logs.ErrorLog));
        Assert.Equal(TransferMethod.S3, r.TransferDirectives!.TransferMethod);
        Assert.Equal(["http://s3/1"], r.TransferDirectives.PartsUploadUrls);
        Assert.Equal(("http://s3/c", 2048L), (r.TransferDirectives.CompleteUploadUrl, r.TransferDirectives.MaxPartSize));
    }

    [Fact]
    public void Snake_case_download_url_is_read()
    {
        var r = TransferResponseReader.Read("""{"transfer_job":{"jobId":"7"},"transfer_directives":{"transfer_method":"s3","download_url":"http://s3/get"}}""");
        Assert.Equal(("7", "http://s3/get"), (r.TransferJob.JobId, r.TransferDirectives!.DownloadUrl));
    }

    [Fact]
    public void Top_level_part_urls_of_the_oldest_servers_are_read()
    {
        var r = TransferResponseReader.Read("""{"transferJob":{"jobId":"8"},"partsUploadUrls":["u1"],"completeMultipartUploadUrl":"c","maxPartSize":9}""");
        Assert.Equal(["u1"], r.TransferDirectives!.PartsUploadUrls);
        Assert.Equal(("c", 9L), (r.TransferDirectives.CompleteUploadUrl, r.TransferDirectives.MaxPartSize));
    }

    [Fact]
    public void An_answer_without_directives_has_none()
    {
        Assert.Null(TransferResponseReader.Read("""{"transferJob":{"jobId":"8"}}""").TransferDirectives);
    }

    [Fact]
    public void Invalid_json_is_an_internal_error()
    {
        Assert.Equal(HpcErrorKind.Internal, Assert.ThrowsAny<HpcException>(() => TransferResponseReader.Read("[1]")).Kind);
        Assert.Equal(HpcErrorKind.Internal, Assert.ThrowsAny<HpcException>(() => TransferResponseReader.Read("{oops")).Kind);
    }
}
