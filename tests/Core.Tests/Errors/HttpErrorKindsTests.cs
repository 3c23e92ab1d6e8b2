using Firecrest.Core.Errors;

namespace Firecrest.Core.Tests.Errors;

public class HttpErrorKindsTests
{
    [Theory]
    [InlineData(400, HpcErrorKind.InvalidArgument)]
    [InlineData(401, HpcErrorKind.Unauthenticated)]
    [InlineData(403, HpcErrorKind.PermissionDenied)]
    [InlineData(404, HpcErrorKind.NotFound)]
    [InlineData(408, HpcErrorKind.Timeout)]
    [InlineData(413, HpcErrorKind.TooLarge)]
    [InlineData(422, HpcErrorKind.IdempotencyMismatch)]
    [InlineData(424, HpcErrorKind.ConnectionFailed)]
    [InlineData(429, HpcErrorKind.RateLimited)]
    [InlineData(501, HpcErrorKind.NotImplemented)]
    [InlineData(503, HpcErrorKind.Unavailable)]
    [InlineData(500, HpcErrorKind.Internal)]
    [InlineData(418, HpcErrorKind.Internal)]
    public void Each_status_maps_to_its_kind(int status, HpcErrorKind kind) => Assert.Equal(kind, HttpErrorKinds.KindOf(status));

    [Theory]
    [InlineData(HpcErrorKind.QuotaExceeded, 403)]
    [InlineData(HpcErrorKind.AlreadyExists, 400)]
    [InlineData(HpcErrorKind.Internal, 500)]
    public void Kinds_without_a_status_of_their_own_share_one(HpcErrorKind kind, int status) => Assert.Equal(status, HttpErrorKinds.StatusOf(kind));

    [Fact]
    public void Every_kind_with_a_status_of_its_own_reads_back_as_itself()
    {
        foreach (var kind in Enum.GetValues<HpcErrorKind>().Except([HpcErrorKind.QuotaExceeded, HpcErrorKind.AlreadyExists]))
            Assert.Equal(kind, HttpErrorKinds.KindOf(HttpErrorKinds.StatusOf(kind)));
    }
}
