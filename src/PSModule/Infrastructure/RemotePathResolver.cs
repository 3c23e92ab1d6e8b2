using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>
/// Turns the remote paths users type into engine paths, the one place the module does so: <c>~</c>, <c>~/x</c> and
/// relative paths are taken under the user's home directory (the server resolves nothing), <c>.</c> and <c>..</c>
/// are folded lexically, and wildcards (<c>*</c>, <c>?</c>, <c>[a-z]</c>) are expanded by listing the directories
/// on the system, as <c>Get-ChildItem</c> does for local paths.
/// </summary>
internal sealed class RemotePathResolver(IHpcOperations operations, string system)
{
    // Home directory per system, per session's operations (a session closed and dropped takes its entries along).
    private static readonly ConditionalWeakTable<IHpcOperations, ConcurrentDictionary<string, string>> Homes = new();

    /// <summary>
    /// The user's home: the path of the system's file system of data type <c>users</c> and the user name from
    /// <c>userinfo</c> (what <c>Get-HpcUserInfo</c> shows). Looked up once per session and system.
    /// </summary>
    public async Task<string> HomeAsync(CancellationToken cancellationToken)
    {
        var cache = Homes.GetOrCreateValue(operations);
        if (cache.TryGetValue(system, out var home)) return home;
        var systems = await operations.Status.GetSystemsAsync(cancellationToken).ConfigureAwait(false);
        var users = systems.FirstOrDefault(s => s.Name == system)?.FileSystems.FirstOrDefault(f => f.DataType == FileSystemDataType.Users)
            ?? throw new HpcException(HpcErrorKind.InvalidArgument, $"System '{system}' declares no home file system (data type 'users'): give an absolute path instead of '~' or a relative one.");
        var user = (await operations.Status.GetUserInfoAsync(system, cancellationToken).ConfigureAwait(false)).User.Name;
        home = users.Path.TrimEnd('/') + "/" + user;
        cache[system] = home;
        return home;
    }

    /// <summary>
    /// <paramref name="text"/> as an absolute normal path; a bad one is an <see cref="HpcValidationException"/> naming
    /// <paramref name="field"/>. Only <c>~</c> of the user is known: <c>~other</c> is refused.
    /// </summary>
    public async Task<RemotePath> ResolveAsync(string text, string field, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(text)) return RemotePath.Parse(text, field);
        string absolute;
        if (text.StartsWith('/')) absolute = text;
        else if (text == "~" || text.StartsWith("~/", StringComparison.Ordinal))
            absolute = await HomeAsync(cancellationToken).ConfigureAwait(false) + text[1..];
        else if (text.StartsWith('~'))
            throw new HpcValidationException(field, $"'{text}': only '~' (your home directory) is known, not another user's");
        else absolute = await HomeAsync(cancellationToken).ConfigureAwait(false) + "/" + text;
        return RemotePath.Parse(Fold(absolute), field);
    }

    /// <summary>
    /// The paths <paramref name="text"/> names: itself when <paramref name="literal"/> or free of wildcards (whether
    /// it exists is the caller's question), else every existing match, in order (none when nothing matches). Hidden
    /// names match only a pattern that starts with a dot, as in a shell.
    /// </summary>
    public async Task<IReadOnlyList<RemotePath>> ExpandAsync(string text, bool literal, string field, CancellationToken cancellationToken)
    {
        if (literal || !WildcardPattern.ContainsWildcardCharacters(text))
            return [await ResolveAsync(text, field, cancellationToken).ConfigureAwait(false)];
        var pattern = await ResolveAsync(text, field, cancellationToken).ConfigureAwait(false);
        var segments = pattern.Trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IReadOnlyList<RemotePath> current = [RemotePath.Parse("/")];
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (!WildcardPattern.ContainsWildcardCharacters(segment))
            {
                var name = WildcardPattern.Unescape(segment);
                current = current.Select(c => c.Combine(name, field)).ToList();
                continue;
            }
            var matcher = new WildcardPattern(segment, WildcardOptions.CultureInvariant);
            var next = new List<RemotePath>();
            foreach (var directory in current)
            {
                IReadOnlyList<RemoteFile> entries;
                try
                {
                    entries = await operations.Files.ListAsync(system, directory, new ListOptions(ShowHidden: segment.StartsWith('.')), cancellationToken).ConfigureAwait(false);
                }
                catch (HpcException e) when (e.Kind is HpcErrorKind.NotFound or HpcErrorKind.InvalidArgument or HpcErrorKind.PermissionDenied)
                {
                    continue;
                }
                next.AddRange(entries
                    .Where(e => matcher.IsMatch(e.Name) && (last || e.Type is "d" or "l"))
                    .Select(e => e.Name)
                    .Order(StringComparer.Ordinal)
                    .Select(n => directory.Combine(n, field)));
            }
            current = next;
        }
        return current;
    }

    /// <summary>Folds <c>.</c>, <c>..</c> and repeated slashes of an absolute path (above <c>/</c> stays <c>/</c>); a trailing slash is kept.</summary>
    internal static string Fold(string absolute)
    {
        var parts = new List<string>();
        foreach (var s in absolute.Split('/'))
        {
            if (s.Length == 0 || s == ".") continue;
            if (s == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(s);
        }
        var folded = "/" + string.Join('/', parts);
        return absolute.Length > 1 && absolute.EndsWith('/') && folded != "/" ? folded + "/" : folded;
    }
}
