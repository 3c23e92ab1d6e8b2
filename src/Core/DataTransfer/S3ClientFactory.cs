using Amazon.Runtime;
using Amazon.S3;
using Firecrest.Core.Configuration;

namespace Firecrest.Core.DataTransfer;

/// <summary>Creates the S3 clients of the data mover (one per endpoint: private for jobs, public for users).</summary>
public interface IS3ClientFactory
{
    /// <summary>A client for <paramref name="serviceUrl"/> with the credentials and region of <paramref name="settings"/>.</summary>
    IAmazonS3 Create(DataTransferSettings settings, Uri serviceUrl);
}

/// <summary>
/// AWSSDK.S3 clients configured for path-style addressing, SigV4 in the configured region, and checksums only when
/// required (S3-compatible servers such as s3rver, Ceph RGW and MinIO reject or store the SDK's default trailers).
/// </summary>
public sealed class S3ClientFactory : IS3ClientFactory
{
    private readonly HttpClientFactory? _httpClientFactory;

    /// <summary>Creates the factory; <paramref name="httpClientFactory"/> replaces the SDK's HTTP stack (tests).</summary>
    public S3ClientFactory(HttpClientFactory? httpClientFactory = null) => _httpClientFactory = httpClientFactory;

    /// <inheritdoc/>
    public IAmazonS3 Create(DataTransferSettings settings, Uri serviceUrl)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new AmazonS3Config
        {
            ServiceURL = serviceUrl.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = settings.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
        };
        if (_httpClientFactory is not null) config.HttpClientFactory = _httpClientFactory;
        return new AmazonS3Client(new BasicAWSCredentials(settings.AccessKeyId ?? "", settings.SecretAccessKey ?? ""), config);
    }
}
