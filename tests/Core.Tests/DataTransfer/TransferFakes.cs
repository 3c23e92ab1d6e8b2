using Firecrest.Core.Models;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Amazon.Runtime;
using Firecrest.Core.Configuration;

namespace Firecrest.Core.Tests.DataTransfer;

/// <summary>
/// The HTTP stack of AWSSDK replaced by a stub S3 server that knows CreateBucket, PutBucketLifecycle (501, like
/// s3rver) and CreateMultipartUpload, and records every request as "METHOD path?query".
/// </summary>
internal sealed class StubS3 : HttpClientFactory
{
    public ConcurrentQueue<string> Requests { get; } = new();

    public bool BucketExists { get; set; }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

    private sealed class Handler(StubS3 owner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            owner.Requests.Enqueue($"{request.Method} {uri.AbsolutePath}{uri.Query}");
            var segments = uri.AbsolutePath.Trim('/').Split('/', 2);
            var query = uri.Query;
            if (request.Method == HttpMethod.Put && segments.Length == 1 && query.Contains("lifecycle"))
                return Xml(HttpStatusCode.NotImplemented, "<Error><Code>NotImplemented</Code><Message>A header you provided implies functionality that is not implemented</Message></Error>");
            if (request.Method == HttpMethod.Put && segments.Length == 1)
            {
                if (owner.BucketExists)
                    return Xml(HttpStatusCode.Conflict, "<Error><Code>BucketAlreadyOwnedByYou</Code><Message>Your previous request to create the named bucket succeeded and you already own it.</Message></Error>");
                owner.BucketExists = true;
                return Xml(HttpStatusCode.OK, "");
            }
            if (request.Method == HttpMethod.Post && query.Contains("uploads"))
                return Xml(HttpStatusCode.OK, $"<InitiateMultipartUploadResult><Bucket>{segments[0]}</Bucket><Key>{segments[1]}</Key><UploadId>upload-123</UploadId></InitiateMultipartUploadResult>");
            return Xml(HttpStatusCode.BadRequest, "<Error><Code>Unexpected</Code><Message>stub</Message></Error>");
        }

        private static Task<HttpResponseMessage> Xml(HttpStatusCode status, string body) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/xml") });
    }
}

/// <summary>Cluster settings for the transfer tests.</summary>
internal static class TransferTestSettings
{
    public static ClusterSettings Cluster(long maxPartSize = 1024, params string[] directives) => new()
    {
        Name = "cluster",
        FileSystems =
        [
            new FileSystemSettings { Path = "/home", DataType = FileSystemDataType.Users, DefaultWorkDir = true },
            new FileSystemSettings { Path = "/scratch", DataType = FileSystemDataType.Scratch },
        ],
        DataOperation = new DataOperationSettings
        {
            DatatransferJobsDirectives = directives.Length == 0 ? ["#SBATCH --nodes=1", "#SBATCH --account={account}"] : [.. directives],
            DataTransfer = new DataTransferSettings
            {
                ServiceType = TransferMethod.S3,
                PrivateUrl = "http://s3-private.example:9000",
                PublicUrl = "https://s3.example.org",
                AccessKeyId = "AKID",
                SecretAccessKey = "SECRET",
                Region = "us-east-1",
                Ttl = 3600,
                Multipart = new MultipartSettings { MaxPartSize = maxPartSize, ParallelRuns = 2, TmpFolder = "tmp" },
            },
        },
    };
}
