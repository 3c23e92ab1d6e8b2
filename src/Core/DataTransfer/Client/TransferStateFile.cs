using System.Text.Json;
using Firecrest.Core.Json;

namespace Firecrest.Core.DataTransfer.Client;

/// <summary>Reads and writes the JSON state files of resumable transfers; writes are atomic (temporary file, then rename).</summary>
public static class TransferStateFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, TypeInfoResolver = CoreJsonContext.Default };

    /// <summary>State file of an upload of <paramref name="localPath"/>.</summary>
    public static string UploadPathFor(string localPath) => localPath + ".f7t-upload.json";

    /// <summary>State file of a download into <paramref name="localPath"/>.</summary>
    public static string DownloadPathFor(string localPath) => localPath + ".f7t-download.json";

    /// <summary>Partial data file of a download into <paramref name="localPath"/>.</summary>
    public static string PartialPathFor(string localPath) => localPath + ".part";

    /// <summary>The state in <paramref name="path"/>, or null when it is missing or unreadable (a broken state only means starting over).</summary>
    public static async Task<T?> LoadAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync(stream, Json.TypeInfo<T>(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="state"/> to <paramref name="path"/> atomically.</summary>
    public static async Task SaveAsync<T>(string path, T state, CancellationToken cancellationToken)
    {
        var tmp = path + ".tmp";
        await using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await JsonSerializer.SerializeAsync(stream, state, Json.TypeInfo<T>(), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Removes <paramref name="path"/> if it exists.</summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
            File.Delete(path + ".tmp");
        }
        catch (IOException)
        {
            // best effort: a stale state is checked against the file before it is used
        }
    }
}
