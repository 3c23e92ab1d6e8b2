using System.Collections.Concurrent;

namespace Firecrest.PowerShell.Sessions;

/// <summary>The open sessions of this process by name, and which one is current.</summary>
internal static class HpcSessionStore
{
    public const string DefaultName = "default";

    private static readonly ConcurrentDictionary<string, HpcSession> Sessions = new(StringComparer.OrdinalIgnoreCase);
    private static volatile string? _current;

    public static IReadOnlyCollection<HpcSession> All => Sessions.Values.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();

    public static HpcSession? Current => _current is { } n && Sessions.TryGetValue(n, out var s) ? s : null;

    public static HpcSession? Find(string name) => Sessions.TryGetValue(name, out var s) ? s : null;

    /// <summary>Adds (or replaces) a session and makes it current; returns the one it replaced.</summary>
    public static HpcSession? Add(HpcSession session)
    {
        HpcSession? old = null;
        Sessions.AddOrUpdate(session.Name, session, (_, previous) => { old = previous; return session; });
        _current = session.Name;
        return old;
    }

    public static bool Remove(HpcSession session)
    {
        var removed = Sessions.TryRemove(new KeyValuePair<string, HpcSession>(session.Name, session));
        if (removed && string.Equals(_current, session.Name, StringComparison.OrdinalIgnoreCase))
            _current = Sessions.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase).FirstOrDefault();
        return removed;
    }

    /// <summary>Closes every session without waiting (module removal).</summary>
    public static void DisconnectAll()
    {
        foreach (var s in Sessions.Values)
        {
            Remove(s);
            _ = s.CloseAsync().AsTask();
        }
    }
}
