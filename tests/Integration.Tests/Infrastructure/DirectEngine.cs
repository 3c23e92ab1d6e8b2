using Firecrest.Tests.Support;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Operations;

namespace Firecrest.Integration.Tests.Infrastructure;

/// <summary>
/// A class fixture: the in-process engine ("direct mode") built from the local cluster's rendered demo configuration,
/// shared by the tests of one class and disposed after them.
/// </summary>
public sealed class DirectEngine : IAsyncLifetime
{
    private EngineHost? _host;

    /// <summary>The operations acting as <paramref name="user"/>.</summary>
    public IHpcOperations For(string user) =>
        (_host ?? throw new InvalidOperationException("The fixture is not initialised.")).Engine.ForUser(new UserIdentity(user));

    /// <summary>The operations acting as the demo user <c>fireuser</c>.</summary>
    public IHpcOperations Fireuser => For("fireuser");

    public Task InitializeAsync()
    {
        _host = EngineHost.Create(FirecrestConfigLoader.Load(TestCluster.Current.ConfigPath).Settings);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}
