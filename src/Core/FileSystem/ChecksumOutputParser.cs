using System.Text.RegularExpressions;
using Firecrest.Core.Models;

namespace Firecrest.Core.FileSystem;

/// <summary>
/// Parses <c>sha256sum -- FILE</c> output: exactly two parts, the digest and the file name, separated by two spaces
/// (the name may itself hold spaces; a leading backslash marks an escaped name). Anything else is Internal.
/// </summary>
public static partial class ChecksumOutputParser
{
    [GeneratedRegex(@"^\\?(?<digest>[0-9a-fA-F]{64})  (?<name>.+)\z", RegexOptions.Singleline)]
    private static partial Regex LinePattern();

    /// <summary>Returns the SHA-256 checksum in lower-case hex.</summary>
    public static FileChecksum Parse(string stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var line = stdout.TrimEnd('\n', '\r');
        var m = LinePattern().Match(line);
        if (!m.Success || line.Contains('\n'))
            throw new HpcException(HpcErrorKind.Internal, $"Unexpected output of sha256sum: '{line}'.");
        return new FileChecksum { Algorithm = "SHA256", Checksum = m.Groups["digest"].Value.ToLowerInvariant() };
    }
}
