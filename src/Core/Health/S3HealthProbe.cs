using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Firecrest.Core.Configuration;

namespace Firecrest.Core.Health;

/// <summary>The S3 health probe: <c>ListBuckets</c> (at most one) against the data transfer's <c>private_url</c>.</summary>
public static class S3HealthProbe
{
    /// <summary>Lists buckets once, without retries; throws when the endpoint fails or cannot be reached.</summary>
    /// <param name="s3">The S3 data transfer settings.</param>
    /// <param name="timeout">Request timeout.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public static async Task<(bool Healthy, string Message)> ListBucketsAsync(DataTransferSettings s3, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(s3.PrivateUrl))
            return (false, "data_transfer.private_url is not set");
        var config = new AmazonS3Config
        {
            ServiceURL = s3.PrivateUrl,
            ForcePathStyle = true,
            AuthenticationRegion = s3.Region,
            Timeout = timeout,
            MaxErrorRetry = 0,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        AWSCredentials credentials = string.IsNullOrEmpty(s3.AccessKeyId) || string.IsNullOrEmpty(s3.SecretAccessKey)
            ? new AnonymousAWSCredentials()
            : new BasicAWSCredentials(s3.AccessKeyId, s3.SecretAccessKey);
        using var client = new AmazonS3Client(credentials, config);
        using var span = Diagnostics.TransferTelemetry.StartS3("ListBuckets", null, null);
        var response = await client.ListBucketsAsync(new ListBucketsRequest { MaxBuckets = 1 }, cancellationToken).ConfigureAwait(false);
        return (true, $"ListBuckets answered HTTP {(int)response.HttpStatusCode}");
    }
}
