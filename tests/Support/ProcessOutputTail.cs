using System.Diagnostics;

namespace Firecrest.Tests.Support;

/// <summary>The last lines a started process wrote to stdout and stderr, kept for failure messages.</summary>
public sealed class ProcessOutputTail
{
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;

    private ProcessOutputTail(int capacity) => _capacity = capacity;

    /// <summary>Starts reading both streams of <paramref name="process"/> (redirected, not yet read) and keeps the last <paramref name="capacity"/> lines.</summary>
    public static ProcessOutputTail Attach(Process process, int capacity = 40)
    {
        var tail = new ProcessOutputTail(capacity);
        process.OutputDataReceived += (_, e) => tail.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => tail.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tail;
    }

    /// <summary>The kept lines, oldest first.</summary>
    public string Text()
    {
        lock (_lines) return string.Join('\n', _lines);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > _capacity) _lines.Dequeue();
        }
    }
}
