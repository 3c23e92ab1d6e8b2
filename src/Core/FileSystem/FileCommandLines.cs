using System.Globalization;
using Firecrest.Core.Models;
using static Firecrest.Core.Ssh.ShellQuote;

namespace Firecrest.Core.FileSystem;

/// <summary>
/// Builds the command lines of the file operations, each prefixed by <c>timeout N</c>. Every user value
/// (paths, mode, owner, group, pattern, counts) goes through <see cref="Firecrest.Core.Ssh.ShellQuote.Quote"/>; paths are
/// expected to have passed <see cref="PathGuard"/> already.
/// </summary>
public sealed class FileCommandLines
{
    private const string LsBase = "ls -l --quoting-style=c --time-style='+%Y-%m-%dT%H:%M:%S' ";

    /// <summary>Creates a builder whose commands run under <c>timeout <paramref name="timeoutSeconds"/></c>.</summary>
    public FileCommandLines(double timeoutSeconds)
    {
        if (timeoutSeconds <= 0 || double.IsNaN(timeoutSeconds) || double.IsInfinity(timeoutSeconds))
            throw new ArgumentOutOfRangeException(nameof(timeoutSeconds), "The command timeout must be a positive number of seconds.");
        Timeout = "timeout " + timeoutSeconds.ToString("0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>timeout N</c> prefix.</summary>
    public string Timeout { get; }

    /// <summary><c>ls -l … [-A] [--numeric-uid-gid] [-d] [-R] [-L] -- P</c>.</summary>
    public string Ls(string path, ListOptions options, bool directoryOnly = false)
    {
        var o = LsBase;
        if (options.ShowHidden) o += "-A ";
        if (options.NumericUid) o += "--numeric-uid-gid ";
        if (directoryOnly) o += "-d ";
        if (options.Recursive && !directoryOnly) o += "-R ";
        if (options.Dereference) o += "-L ";
        return $"{Timeout} {o}-- {Quote(path)}";
    }

    /// <summary><c>head [--bytes='[-]N'] [--lines='[-]N'] -- P</c>.</summary>
    public string Head(string path, long? bytes, long? lines, bool skipTrailing) =>
        $"{Timeout} head {Count("bytes", bytes, skipTrailing ? "-" : "")}{Count("lines", lines, skipTrailing ? "-" : "")}-- {Quote(path)}";

    /// <summary><c>tail [--bytes='[+]N'] [--lines='[+]N'] -- P</c>.</summary>
    public string Tail(string path, long? bytes, long? lines, bool skipHeading) =>
        $"{Timeout} tail {Count("bytes", bytes, skipHeading ? "+" : "")}{Count("lines", lines, skipHeading ? "+" : "")}-- {Quote(path)}";

    /// <summary><c>dd if=P bs=SIZE skip=OFFSET/SIZE count=2</c> (two blocks, sliced by the caller).</summary>
    public string View(string path, long size, long offset) =>
        $"{Timeout} dd if={Quote(path)} bs={Quote(Num(size))} skip={Quote(Num(offset / size))} count=2";

    /// <summary><c>sha256sum -- P</c>.</summary>
    public string Checksum(string path) => $"{Timeout} sha256sum -- {Quote(path)}";

    /// <summary><c>file -b -- P</c>.</summary>
    public string FileType(string path) => $"{Timeout} file -b -- {Quote(path)}";

    /// <summary><c>stat [--dereference] -c '%f …' -- P</c>.</summary>
    public string Stat(string path, bool dereference) =>
        $"{Timeout} stat {(dereference ? "--dereference " : "")}-c {Quote(StatOutputParser.Format)} -- {Quote(path)}";

    /// <summary><c>stat --dereference -c '%s' -- P</c> (size check before a download).</summary>
    public string Size(string path) => $"{Timeout} stat --dereference -c '%s' -- {Quote(path)}";

    /// <summary><c>mkdir [-p] -- P &amp;&amp; ls -d P</c> (spacing as upstream).</summary>
    public string Mkdir(string path, bool parent) =>
        $"{Timeout} mkdir {(parent ? "-p " : "")} -- {Quote(path)} && {Ls(path, new ListOptions(), directoryOnly: true)}";

    /// <summary><c>ln -s -- TARGET LINK &amp;&amp; ls -d LINK</c>.</summary>
    public string Symlink(string target, string linkPath) =>
        $"{Timeout} ln -s -- {Quote(target)} {Quote(linkPath)} && {Ls(linkPath, new ListOptions(), directoryOnly: true)}";

    /// <summary><c>chmod -v MODE -- P &amp;&amp; ls -d P</c>.</summary>
    public string Chmod(string path, string mode) =>
        $"{Timeout} chmod -v {Quote(mode)} -- {Quote(path)} && {Ls(path, new ListOptions(), directoryOnly: true)}";

    /// <summary>
    /// <c>chown -v OWNER:GROUP -- P &amp;&amp; ls -d P</c>; with no group only <c>OWNER</c> is passed (upstream's
    /// <c>OWNER:</c> would also switch the group to the owner's login group).
    /// </summary>
    public string Chown(string path, string owner, string group)
    {
        var spec = group.Length == 0 ? Quote(owner) : $"{Quote(owner)}:{Quote(group)}";
        return $"{Timeout} chown -v {spec} -- {Quote(path)} && {Ls(path, new ListOptions(), directoryOnly: true)}";
    }

    /// <summary><c>rm -r --interactive=never -- P</c>.</summary>
    public string Remove(string path) => $"{Timeout} rm -r --interactive=never -- {Quote(path)}";

    /// <summary><c>base64 --wrap=0 -- P</c>.</summary>
    public string Download(string path) => $"{Timeout} base64 --wrap=0 -- {Quote(path)}";

    /// <summary><c>base64 -d &gt; P</c> (content on stdin).</summary>
    public string Upload(string path) => $"{Timeout} base64 -d > {Quote(path)}";

    /// <summary>
    /// <c>tar [--dereference] --no-unquote -c{z|j|J|}vf TARGET -C DIR -- BASE</c>; with a pattern, without a nested shell:
    /// <c>cd DIR &amp;&amp; find ./BASE -type f -regex PAT -print0 | tar … -c…vf TARGET --null --files-from -</c>.
    /// <c>--no-unquote</c> stops GNU tar from reading backslash escapes in names (<c>a\n</c> would name another file).
    /// </summary>
    public string Compress(RemotePath source, string target, string? matchPattern, bool dereference, CompressionType compression)
    {
        var flag = OpsArguments.TarFlag(compression);
        var deref = dereference ? "--dereference " : "";
        var dir = source.Parent.Value;
        var name = source.IsRoot ? "." : source.Name;
        if (!string.IsNullOrEmpty(matchPattern))
        {
            return $"cd {Quote(dir)} && {Timeout} find ./{Quote(name)} -type f -regex {Quote(matchPattern)} -print0 | " +
                   $"{Timeout} tar {deref}--no-unquote -c{flag}vf {Quote(target)} --null --files-from -";
        }
        return $"{Timeout} tar {deref}--no-unquote -c{flag}vf {Quote(target)} -C {Quote(dir)} -- {Quote(name)}";
    }

    /// <summary><c>tar --no-unquote -x{z|j|J|}f SOURCE -C TARGET</c> (the <c>-C</c> directory is taken literally).</summary>
    public string Extract(string source, string target, CompressionType compression) =>
        $"{Timeout} tar --no-unquote -x{OpsArguments.TarFlag(compression)}f {Quote(source)} -C {Quote(target)}";

    /// <summary><c>id</c>.</summary>
    public string Id() => $"{Timeout} id";

    private static string Count(string option, long? value, string sign) =>
        value is { } v ? $"--{option}={Quote(sign + Num(v))} " : "";

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
