using System.Collections.Concurrent;

namespace Firecrest.PowerShell.Sessions;

/// <summary>
/// The open sessions of this process by name, and which one is current. Statics of the cmdlet assembly, which stays
/// loaded for the life of the process: <c>Import-Module -Force</c> loads the same assembly again (so the sessions
/// survive), and every runspace of the process (<c>Start-ThreadJob</c>, <c>ForEach-Object -Parallel</c>) sees them.
/// </summary>
internal static class HpcSessionStore
{
    public const string DefaultName = "default";

    private static readonly ConcurrentDictionary<string, HpcSession> Sessions = new(StringComparer.OrdinalIgnoreCase);
    private static volatile string? _current;

    public static IReadOnlyCollection<HpcSession> All => Sessions.Values.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();

    public static HpcSession? Current => _current is { } n && Sessions.TryGetValue(n, out var s) ? s : null;

    public static HpcSession? Find(string name) => Sessions.TryGetValue(name, out var s) ? s : null;

    /// <summary>
    /// Adds (or replaces) a session; it becomes current when <paramref name="makeCurrent"/> is set, when no session is
    /// current, or when it replaces the current one. Returns the session it replaced.
    /// </summary>
    public static HpcSession? Add(HpcSession session, bool makeCurrent)
    {
        HpcSession? old = null;
        Sessions.AddOrUpdate(session.Name, session, (_, previous) => { old = previous; return session; });
        if (makeCurrent || Current is null) _current = session.Name;
        return old;
    }

    /// <summary>Makes an open session the current one; false when it is not (or no longer) in the store.</summary>
    public static bool SetCurrent(HpcSession session)
    {
        if (!Sessions.TryGetValue(session.Name, out var s) || !ReferenceEquals(s, session)) return false;
        _current = session.Name;
        return true;
    }

    public static bool Remove(HpcSession session)
    {
        var removed = Sessions.TryRemove(new KeyValuePair<string, HpcSession>(session.Name, session));
        if (removed && string.Equals(_current, session.Name, StringComparison.OrdinalIgnoreCase))
            _current = Sessions.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase).FirstOrDefault();
        return removed;
    }
}
