using System.Globalization;
using System.Web;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Firecrest.Core.DataTransfer;

namespace Firecrest.Core.Tests.DataTransfer;

/// <summary>
/// s3rver does not check signatures, so the SigV4 presigner (used for the CompleteMultipartUpload POST URL, which
/// AWSSDK cannot presign) is proven against the AWS documentation example and against AWSSDK's own presigned URLs.
/// </summary>
public sealed class SigV4QueryPresignerTests
{
    // AWS S3 API reference, "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", example.
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly DateTime ExampleTime = new(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Aws_documentation_example_gives_the_documented_signature()
    {
        var url = SigV4QueryPresigner.Presign("GET", new Uri("https://examplebucket.s3.amazonaws.com"), "test.txt",
            new Dictionary<string, string>(), AccessKey, SecretKey, "us-east-1", ExampleTime, 86400);

        Assert.Equal(
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z" +
            "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
            url);
    }

    [Fact]
    public void Aws_documentation_example_canonical_request_hash_matches()
    {
        var query = SigV4QueryPresigner.CanonicalQuery(new Dictionary<string, string>
        {
            ["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256",
            ["X-Amz-Credential"] = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request",
            ["X-Amz-Date"] = "20130524T000000Z",
            ["X-Amz-Expires"] = "86400",
            ["X-Amz-SignedHeaders"] = "host",
        });
        var canonical = SigV4QueryPresigner.CanonicalRequest("GET", "/test.txt", query, "examplebucket.s3.amazonaws.com");
        var sts = SigV4QueryPresigner.StringToSign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request", canonical);
        Assert.EndsWith("\n3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04", sts);
    }

    [Theory]
    [InlineData("bucket/uuid/plain.bin")]
    [InlineData("fireuser/0d1c/it's a \"file\" & <more> (1) + 50%.bin")]
    [InlineData("fireuser/0d1c/ünïcødé ~name=;,.bin")]
    public async Task Signature_equals_awssdk_for_the_same_request(string objectPath)
    {
        using var sdk = new AmazonS3Client(new BasicAWSCredentials("AKID", "SECRETKEY"), new AmazonS3Config
        {
            ServiceURL = "http://127.0.0.1:9000",
            ForcePathStyle = true,
            AuthenticationRegion = "eu-central-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        var slash = objectPath.IndexOf('/');
        var sdkUrl = await sdk.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = objectPath[..slash],
            Key = objectPath[(slash + 1)..],
            Verb = HttpVerb.PUT,
            UploadId = "VXBsb2FkSWQ.example-1_x~",
            PartNumber = 7,
            Expires = DateTime.UtcNow.AddSeconds(900),
            Protocol = Protocol.HTTP,
        });
        var q = HttpUtility.ParseQueryString(new Uri(sdkUrl).Query);
        var date = DateTime.ParseExact(q["X-Amz-Date"]!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var extra = q.AllKeys.Where(k => k is not null && !k.StartsWith("X-Amz-", StringComparison.Ordinal))
            .ToDictionary(k => k!, k => q[k]!);

        var ours = SigV4QueryPresigner.Presign("PUT", new Uri("http://127.0.0.1:9000"), objectPath, extra,
            "AKID", "SECRETKEY", "eu-central-1", date, int.Parse(q["X-Amz-Expires"]!, CultureInfo.InvariantCulture));

        var oq = HttpUtility.ParseQueryString(new Uri(ours).Query);
        Assert.True(q["X-Amz-Signature"] == oq["X-Amz-Signature"], $"sdk: {sdkUrl}\nours: {ours}");
        Assert.Equal(new Uri(sdkUrl).AbsolutePath, new Uri(ours).AbsolutePath);
    }

    [Fact]
    public void Lifetime_over_seven_days_is_refused()
    {
        var e = Assert.ThrowsAny<HpcException>(() => SigV4QueryPresigner.Presign("POST", new Uri("http://h"), "b/k",
            new Dictionary<string, string>(), "a", "s", "us-east-1", ExampleTime, 604801));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }
}
