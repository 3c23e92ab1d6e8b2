namespace Firecrest.Core.Tests.Batch;

/// <summary>A temporary folder holding a run file and its local inputs; deleted on dispose.</summary>
internal sealed class TempRunFolder : IDisposable
{
    public TempRunFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "batch-" + Guid.NewGuid().ToString("N")[..8]);

    public string Write(string name, string text)
    {
        var full = System.IO.Path.Combine(Path, name);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
