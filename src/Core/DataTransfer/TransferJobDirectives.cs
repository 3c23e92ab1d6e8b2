using System.Text.RegularExpressions;

namespace Firecrest.Core.DataTransfer;

/// <summary>
/// The scheduler directives at the top of every transfer job script (<c>data_operation.datatransfer_jobs_directives</c>),
/// with the <c>{account}</c> placeholder filled in.
/// </summary>
internal static partial class TransferJobDirectives
{
    private const string Placeholder = "{account}";

    /// <summary>True when the directives need an account.</summary>
    public static bool NeedAccount(IReadOnlyList<string> directives) => directives.Any(d => d.Contains(Placeholder, StringComparison.Ordinal));

    /// <summary>The directive lines joined by newlines, or <see cref="HpcErrorKind.InvalidArgument"/> when an account is needed and missing or malformed.</summary>
    public static string Render(IReadOnlyList<string> directives, string? account)
    {
        if (NeedAccount(directives))
        {
            if (string.IsNullOrWhiteSpace(account))
                throw new HpcException(HpcErrorKind.InvalidArgument, "Account parameter is required on this system.");
            CheckAccount(account);
        }
        return string.Join('\n', directives.Select(d => d.Replace(Placeholder, account ?? "", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Accounts end up in a <c>#SBATCH</c> line that the scheduler parses (not a shell), so quoting does not apply:
    /// only plain account names are accepted (no spaces, newlines or quotes that could add directives).
    /// </summary>
    public static void CheckAccount(string account)
    {
        if (!AccountName().IsMatch(account))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Invalid account name '{account}'.");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}\z")]
    private static partial Regex AccountName();
}
