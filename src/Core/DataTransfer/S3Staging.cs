using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Firecrest.Core.Configuration;
using Firecrest.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Firecrest.Core.DataTransfer;

/// <summary>
/// The S3 side of staged transfers: one bucket per user, multipart uploads, and presigned URLs on the private
/// endpoint (for jobs on the cluster) or the public endpoint (for users).
/// </summary>
internal sealed class S3Staging : IDisposable
{
    private readonly DataTransferSettings _settings;
    // Built at first use: an S3 client costs tens of milliseconds to build, which a server start need not wait for.
    private readonly Lazy<IAmazonS3> _privateClient;
    private readonly Lazy<IAmazonS3> _publicClient;
    private readonly Uri _privateUrl;
    private readonly Uri _publicUrl;
    private readonly ILogger _logger;
    private readonly Func<DateTime> _utcNow;
    private readonly string _system;

    /// <summary>Clients for <paramref name="settings"/>; <paramref name="system"/> names the system in the S3 spans.</summary>
    public S3Staging(string system, DataTransferSettings settings, IS3ClientFactory factory, ILogger logger, Func<DateTime> utcNow)
    {
        _system = system;
        _settings = settings;
        _privateUrl = ParseUrl(settings.PrivateUrl, "private_url");
        _publicUrl = ParseUrl(settings.PublicUrl ?? settings.PrivateUrl, "public_url");
        _privateClient = new(() => factory.Create(settings, _privateUrl));
        _publicClient = new(() => factory.Create(settings, _publicUrl));
        _logger = logger;
        _utcNow = utcNow;
    }

    private IAmazonS3 Private => _privateClient.Value;

    /// <summary>The bucket of a user (<c>tenant:user</c> with a Ceph tenant).</summary>
    public string BucketOf(UserIdentity user) => string.IsNullOrEmpty(_settings.Tenant) ? user.Username : $"{_settings.Tenant}:{user.Username}";

    /// <summary>Creates the user's bucket when missing and tries to set its expiry rule.</summary>
    public async Task EnsureBucketAsync(string bucket, CancellationToken ct)
    {
        using (var span = TransferTelemetry.StartS3("PutBucket", _system, bucket))
        {
            try
            {
                await Private.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                span?.SetTag("aws.s3.error_code", e.ErrorCode);
                return;
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException or AmazonClientException)
            {
                span.Fail(e);
                throw StorageError("create the bucket", e);
            }
        }

        using var lifecycle = TransferTelemetry.StartS3("PutLifecycleConfiguration", _system, bucket);
        try
        {
            await Private.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
            {
                BucketName = bucket,
                Configuration = new LifecycleConfiguration
                {
                    Rules =
                    [
                        new LifecycleRule
                        {
                            Id = "ExpireObjects",
                            Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } },
                            Status = LifecycleRuleStatus.Enabled,
                            Expiration = new LifecycleRuleExpiration { Days = _settings.BucketLifecycleConfiguration.Days },
                        },
                    ],
                },
            }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NotImplemented" || (int)e.StatusCode == 501)
        {
            _logger.LogWarning("The S3 server does not support lifecycle rules; objects in bucket {Bucket} will not expire ({Error}).", bucket, e.Message);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or AmazonClientException)
        {
            lifecycle.Fail(e);
            throw StorageError("set the bucket lifecycle rule", e);
        }
    }

    /// <summary>Starts a multipart upload; returns its id.</summary>
    public async Task<string> CreateMultipartUploadAsync(string bucket, string key, CancellationToken ct)
    {
        using var span = TransferTelemetry.StartS3("CreateMultipartUpload", _system, bucket);
        try
        {
            var r = await Private.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, ct).ConfigureAwait(false);
            return string.IsNullOrEmpty(r.UploadId)
                ? throw new HpcException(HpcErrorKind.Internal, "The S3 storage returned no multipart upload id.")
                : r.UploadId;
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or AmazonClientException)
        {
            span.Fail(e);
            throw StorageError("start the multipart upload", e);
        }
    }

    /// <summary>A presigned URL for GET, HEAD or PUT (a part, with <paramref name="uploadId"/> and <paramref name="partNumber"/>).</summary>
    public Task<string> PresignAsync(bool publicEndpoint, HttpVerb verb, string bucket, string key, string? uploadId = null, int? partNumber = null)
    {
        var url = publicEndpoint ? _publicUrl : _privateUrl;
        var request = new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = verb,
            Expires = _utcNow().AddSeconds(_settings.Ttl),
            Protocol = url.Scheme == Uri.UriSchemeHttps ? Protocol.HTTPS : Protocol.HTTP,
        };
        if (uploadId is not null) request.UploadId = uploadId;
        if (partNumber is not null) request.PartNumber = partNumber.Value;
        return (publicEndpoint ? _publicClient.Value : Private).GetPreSignedURLAsync(request);
    }

    /// <summary>A presigned POST URL that completes a multipart upload (the XML list of parts is the body).</summary>
    public string PresignComplete(bool publicEndpoint, string bucket, string key, string uploadId) =>
        SigV4QueryPresigner.Presign("POST", publicEndpoint ? _publicUrl : _privateUrl, $"{bucket}/{key}",
            new Dictionary<string, string> { ["uploadId"] = uploadId },
            _settings.AccessKeyId ?? "", _settings.SecretAccessKey ?? "", _settings.Region, _utcNow(), _settings.Ttl);

    public void Dispose()
    {
        if (_privateClient.IsValueCreated) _privateClient.Value.Dispose();
        if (_publicClient.IsValueCreated) _publicClient.Value.Dispose();
    }

    private static Uri ParseUrl(string? value, string key) =>
        Uri.TryCreate(value, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? u
            : throw new HpcException(HpcErrorKind.Internal, $"data_transfer.{key} is not an http(s) URL: '{value}'.");

    private static HpcException StorageError(string what, Exception e) =>
        new(HpcErrorKind.Unavailable, $"Unable to {what} on the S3 storage: {e.Message}", e) { CausedBy = [e.Message] };
}
