using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Smoke;

/// <summary>s3rver answers presigned PUT and GET as the data mover will use them.</summary>
public sealed class S3SmokeTests
{
    [Fact]
    public async Task Presigned_put_then_get_round_trips_the_bytes()
    {
        var c = TestCluster.Current;
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(c["S3_ACCESS_KEY"], c["S3_SECRET_KEY"]), new AmazonS3Config
        {
            ServiceURL = c["S3_URL"],
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        var bucket = "smoke-" + Guid.NewGuid().ToString("N")[..12];
        await s3.PutBucketAsync(bucket);
        var body = RandomNumberGenerator.GetBytes(200_000);
        using var http = new HttpClient();

        var put = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "dir/obj.bin", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        var pr = await http.PutAsync(put, new ByteArrayContent(body));
        Assert.Equal(HttpStatusCode.OK, pr.StatusCode);

        var get = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "dir/obj.bin", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(await http.GetByteArrayAsync(get)));

        await s3.DeleteObjectAsync(bucket, "dir/obj.bin");
        await s3.DeleteBucketAsync(bucket);
    }
}
