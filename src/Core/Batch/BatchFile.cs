using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Firecrest.Core.Batch;

/// <summary>
/// Reads run files (see docs/batch.md): YAML with <c>system</c>, <c>defaults</c> and <c>jobs</c>. Every problem
/// (syntax, unknown key, bad resource, missing script or input file, unknown dependency, cycle) is reported with
/// its file, line and column, all at once, before anything is submitted.
/// </summary>
public static class BatchFile
{
    /// <summary>Loads and validates the run file at <paramref name="path"/>; relative local paths are resolved against its folder.</summary>
    /// <exception cref="BatchValidationException">The file is invalid.</exception>
    /// <exception cref="HpcException">The file does not exist (<see cref="HpcErrorKind.NotFound"/>).</exception>
    public static BatchDefinition Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new HpcException(HpcErrorKind.NotFound, $"Run file '{full}' does not exist.");
        return Parse(File.ReadAllText(full), full, Path.GetDirectoryName(full));
    }

    /// <summary>Parses and validates run-file text.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="sourcePath">Path to name in messages and to keep the state file next to; null for text that has no file.</param>
    /// <param name="baseDirectory">Folder that relative local paths are resolved against (default: the file's folder, else the current one).</param>
    /// <exception cref="BatchValidationException">The text is invalid.</exception>
    public static BatchDefinition Parse(string yaml, string? sourcePath = null, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var display = sourcePath ?? "<text>";
        var baseDir = baseDirectory
            ?? (sourcePath is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(sourcePath)))
            ?? Directory.GetCurrentDirectory();
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(yaml);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
            throw new BatchValidationException([new BatchProblem(display, (int)e.Start.Line, (int)e.Start.Column, "YAML syntax error: " + message)]);
        }
        var reader2 = new BatchYamlReader(display, baseDir);
        var definition = reader2.Read(stream, sourcePath is null ? null : Path.GetFullPath(sourcePath));
        if (reader2.Problems.Count > 0)
            throw new BatchValidationException([.. reader2.Problems.OrderBy(p => p.Line).ThenBy(p => p.Column)]);
        return definition!;
    }
}
