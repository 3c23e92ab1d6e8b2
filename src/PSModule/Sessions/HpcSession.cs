using Firecrest.Core.Operations;

namespace Firecrest.PowerShell.Sessions;

/// <summary>How a session reaches the systems.</summary>
public enum HpcSessionMode
{
    /// <summary>Through a FirecREST server over HTTP.</summary>
    Remote,

    /// <summary>Through the engine in this process (SSH and the schedulers directly), from a YAML configuration.</summary>
    Direct,
}

/// <summary>A connection made by <c>Connect-HpcSession</c>: the operations every cmdlet uses, and what they default to.</summary>
public sealed class HpcSession
{
    private readonly Func<ValueTask> _close;

    internal HpcSession(string name, HpcSessionMode mode, string target, string? user, IHpcOperations operations,
        IReadOnlyList<string> systems, Func<ValueTask> close)
    {
        Name = name;
        Mode = mode;
        Target = target;
        User = user;
        Operations = operations;
        Systems = systems;
        _close = close;
    }

    /// <summary>Session name (default <c>default</c>).</summary>
    public string Name { get; }

    public HpcSessionMode Mode { get; }

    /// <summary>Server URL (remote) or configuration path (direct).</summary>
    public string Target { get; }

    /// <summary>User the engine acts as (direct mode), or the user the access token names (remote mode; null when it names none).</summary>
    public string? User { get; }

    /// <summary>System names seen when connecting.</summary>
    public IReadOnlyList<string> Systems { get; }

    /// <summary>The system cmdlets use when -System is not given: the first one.</summary>
    public string? DefaultSystem => Systems.Count > 0 ? Systems[0] : null;

    /// <summary>True for the session cmdlets use when -Session is not given.</summary>
    public bool IsCurrent => ReferenceEquals(HpcSessionStore.Current, this);

    /// <summary>The operations (engine or client).</summary>
    internal IHpcOperations Operations { get; }

    internal ValueTask CloseAsync() => _close();

    /// <summary>Runs the health probes once (direct mode, where no server runs them in the background).</summary>
    internal Func<CancellationToken, Task>? RefreshHealth { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Mode} {Target})";
}
