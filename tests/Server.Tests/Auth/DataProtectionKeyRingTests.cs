using System.Net;
using System.Xml.Linq;
using Firecrest.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Firecrest.Server.Tests.Auth;

/// <summary>
/// The server neither reads nor writes a data-protection key: bearer tokens do not use one, so starting and serving
/// authenticated requests must not load the key ring (on a first start that creates a master key on disk).
/// </summary>
public sealed class DataProtectionKeyRingTests : IDisposable
{
    private readonly KeyStoreSpy _keys = new();
    private readonly FirecrestFactory _root = new();
    private readonly WebApplicationFactory<Program> _f;

    public DataProtectionKeyRingTests() =>
        _f = _root.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.Configure<KeyManagementOptions>(o => o.XmlRepository = _keys)));

    public void Dispose()
    {
        _f.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task Start_and_authenticated_requests_leave_the_key_ring_untouched()
    {
        using var client = _f.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", _root.Tokens.Create("fireuser"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/status/liveness/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/status/systems")).StatusCode);

        Assert.Equal(0, _keys.Reads);
        Assert.Equal(0, _keys.Writes);
    }

    private sealed class KeyStoreSpy : IXmlRepository
    {
        private int _reads;
        private int _writes;

        public int Reads => Volatile.Read(ref _reads);

        public int Writes => Volatile.Read(ref _writes);

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            Interlocked.Increment(ref _reads);
            return [];
        }

        public void StoreElement(XElement element, string friendlyName) => Interlocked.Increment(ref _writes);
    }
}
