namespace Firecrest.PowerShell.Infrastructure;

/// <summary>POSIX path arithmetic for paths on the systems (never the local file system's rules).</summary>
internal static class RemotePath
{
    public static string Combine(string directory, string name) =>
        name.StartsWith('/') ? name : directory.TrimEnd('/') + "/" + name;

    public static string Parent(string path)
    {
        var p = path.TrimEnd('/');
        var i = p.LastIndexOf('/');
        return i <= 0 ? "/" : p[..i];
    }

    public static string Leaf(string path)
    {
        var p = path.TrimEnd('/');
        return p[(p.LastIndexOf('/') + 1)..];
    }
}
