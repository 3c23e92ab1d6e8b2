using System.Text.RegularExpressions;
using Firecrest.Core.Models;

namespace Firecrest.Core.FileSystem;

/// <summary>Parses the output of <c>id</c>: <c>uid=1000(name) gid=1000(name) groups=1000(name),27(sudo)</c>.</summary>
public static partial class IdOutputParser
{
    [GeneratedRegex(@"^uid=(?<uid>\d+)(\((?<uname>[^)]*)\))?\s+gid=(?<gid>\d+)(\((?<gname>[^)]*)\))?(\s+groups=(?<groups>\S.*?))?\s*\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(?<id>\d+)(\((?<name>[^)]*)\))?\z")]
    private static partial Regex GroupPattern();

    /// <summary>The user, primary group and all groups; <see cref="UserInfo.Accounts"/> is left null (the scheduler fills it).</summary>
    public static UserInfo Parse(string stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var line = stdout.Trim();
        var m = IdPattern().Match(line);
        if (!m.Success) throw new HpcException(HpcErrorKind.Internal, $"Unexpected output of id: '{line}'.");
        var info = new UserInfo
        {
            User = new IdName { Id = m.Groups["uid"].Value, Name = m.Groups["uname"].Value },
            Group = new IdName { Id = m.Groups["gid"].Value, Name = m.Groups["gname"].Value },
            Accounts = null,
        };
        if (m.Groups["groups"].Success)
        {
            foreach (var part in m.Groups["groups"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var g = GroupPattern().Match(part);
                if (!g.Success) throw new HpcException(HpcErrorKind.Internal, $"Unexpected group in output of id: '{part}'.");
                info.Groups.Add(new IdName { Id = g.Groups["id"].Value, Name = g.Groups["name"].Value });
            }
        }
        else
        {
            info.Groups.Add(new IdName { Id = info.Group.Id, Name = info.Group.Name });
        }
        return info;
    }
}
