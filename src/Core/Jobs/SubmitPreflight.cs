using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Jobs;

/// <summary>
/// Checks a job before it is submitted, so a mistake is named at once instead of failing later on the cluster: the
/// system is known, the working directory exists, is a directory and is writable for the user (from its stat and the
/// user's ids, so it works through the engine and the HTTP client alike), and the partition and account, when given,
/// are known. Every problem found is reported in one <see cref="HpcValidationException"/> naming its field.
/// </summary>
public static class SubmitPreflight
{
    /// <summary>Field names as the calling face spells them (the wire names by default).</summary>
    /// <param name="System">The system argument.</param>
    /// <param name="WorkingDirectory">The working directory argument.</param>
    /// <param name="Partition">The partition argument.</param>
    /// <param name="Account">The account argument.</param>
    public sealed record FieldNames(string System = "system", string WorkingDirectory = "workingDirectory", string Partition = "partition", string Account = "account");

    /// <summary>One job to check.</summary>
    /// <param name="WorkingDirectory">Its working directory.</param>
    /// <param name="Partition">Its partition, or null for the default.</param>
    /// <param name="Account">Its account, or null for the default.</param>
    /// <param name="Names">How the caller names these fields.</param>
    public sealed record Target(string WorkingDirectory, string? Partition, string? Account, FieldNames Names);

    /// <summary>Runs the checks; returns when the job may be submitted.</summary>
    /// <exception cref="HpcValidationException">A named field is wrong.</exception>
    public static Task CheckAsync(IHpcOperations operations, string system, string workingDirectory, string? partition = null, string? account = null,
        FieldNames? names = null, CancellationToken cancellationToken = default)
    {
        names ??= new FieldNames();
        return CheckAsync(operations, system, [new Target(workingDirectory, partition, account, names)], mayCreateDirectories: false, names.System, cancellationToken);
    }

    /// <summary>
    /// Checks several jobs of one system at once (each distinct directory is looked at once). With
    /// <paramref name="mayCreateDirectories"/> a missing working directory is fine when the caller creates it
    /// (<c>mkdir -p</c>): its nearest existing ancestor must then be a directory writable for the user.
    /// </summary>
    /// <exception cref="HpcValidationException">A named field is wrong.</exception>
    public static async Task CheckAsync(IHpcOperations operations, string system, IReadOnlyList<Target> targets, bool mayCreateDirectories,
        string systemField = "system", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(targets);
        var systems = await operations.Status.GetSystemsAsync(cancellationToken).ConfigureAwait(false);
        if (!systems.Any(s => string.Equals(s.Name, system, StringComparison.OrdinalIgnoreCase)))
            throw new HpcValidationException(systemField, $"unknown system '{system}'; known systems: {string.Join(", ", systems.Select(s => s.Name))}");

        var problems = new List<InvalidField>();
        var userTask = operations.Status.GetUserInfoAsync(system, cancellationToken);
        var partitionsTask = targets.Any(t => !string.IsNullOrEmpty(t.Partition)) ? operations.Status.GetPartitionsAsync(system, showHidden: true, cancellationToken) : null;
        var user = await userTask.ConfigureAwait(false);
        var partitions = partitionsTask is null ? [] : await partitionsTask.ConfigureAwait(false);
        var directoryProblems = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var t in targets)
        {
            if (!directoryProblems.TryGetValue(t.WorkingDirectory, out var problem))
                directoryProblems[t.WorkingDirectory] = problem = await DirectoryProblemAsync(operations, system, t.WorkingDirectory, user, mayCreateDirectories, cancellationToken).ConfigureAwait(false);
            if (problem is not null) problems.Add(new InvalidField(t.Names.WorkingDirectory, problem));
            if (!string.IsNullOrEmpty(t.Partition) && !partitions.Any(p => string.Equals(p.Name, t.Partition, StringComparison.Ordinal)))
                problems.Add(new InvalidField(t.Names.Partition, $"unknown partition '{t.Partition}'; partitions: {string.Join(", ", partitions.Select(p => p.Name))}"));
            // PBS reports no accounts (null): nothing to check against.
            if (!string.IsNullOrEmpty(t.Account) && user.Accounts is { } accounts && !accounts.Any(a => string.Equals(a.Name, t.Account, StringComparison.Ordinal)))
                problems.Add(new InvalidField(t.Names.Account, $"'{t.Account}' is not an account of user '{user.User.Name}'; accounts: {string.Join(", ", accounts.Select(a => a.Name))}"));
        }
        if (problems.Count > 0) throw new HpcValidationException(problems.Distinct().ToList());
    }

    /// <summary>Why <paramref name="path"/> cannot be the user's working directory, or null when it can.</summary>
    private static async Task<string?> DirectoryProblemAsync(IHpcOperations operations, string system, string path, UserInfo user, bool mayCreate, CancellationToken cancellationToken)
    {
        if (!RemotePath.TryParse(path, out var remote, out var why)) return why;
        var probe = remote.Value;
        while (true)
        {
            FileStat stat;
            try
            {
                stat = await operations.Files.StatAsync(system, RemotePath.Parse(probe, "path"), dereference: true, cancellationToken).ConfigureAwait(false);
            }
            catch (HpcException e) when (e.Kind is HpcErrorKind.NotFound)
            {
                if (!mayCreate) return $"'{path}' does not exist; create it first (mkdir) or choose an existing directory";
                var slash = probe.LastIndexOf('/');
                probe = slash <= 0 ? "/" : probe[..slash];
                continue;
            }
            catch (HpcException e) when (e.Kind is HpcErrorKind.PermissionDenied)
            {
                return $"'{probe}' cannot be reached by user '{user.User.Name}' (permission denied)";
            }
            if (!IsDirectory(stat.Mode)) return $"'{probe}' is not a directory";
            if (IsWritable(stat, user)) return null;
            return probe == remote.Value
                ? $"'{path}' is not writable for user '{user.User.Name}'; choose a directory the user owns, e.g. the home directory"
                : $"'{path}' does not exist and cannot be created: '{probe}' is not writable for user '{user.User.Name}'";
        }
    }

    /// <summary>True for a directory's <c>st_mode</c>.</summary>
    public static bool IsDirectory(long mode) => (mode & 0xF000) == 0x4000;

    /// <summary>
    /// True when <paramref name="user"/> may create files in a directory with <paramref name="stat"/>: write and search
    /// permission in the class (owner, group, other) that applies to the user, as the kernel decides without ACLs;
    /// root may always.
    /// </summary>
    public static bool IsWritable(FileStat stat, UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(stat);
        ArgumentNullException.ThrowIfNull(user);
        if (user.User.Id == "0") return true;
        int shift;
        if (user.User.Id == stat.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture)) shift = 6;
        else
        {
            var gid = stat.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            shift = user.Group.Id == gid || user.Groups.Any(g => g.Id == gid) ? 3 : 0;
        }
        return ((stat.Mode >> shift) & 0b011) == 0b011;
    }
}
