using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Firecrest.Core.Json;
using Firecrest.Core.Models;

namespace Firecrest.Core.Batch;

/// <summary>The outcome of a batch run so far: one entry per job, in dependency order.</summary>
public sealed class BatchReport
{
    /// <summary>Run id (kept in the state file; also used in idempotency keys).</summary>
    public string RunId { get; set; } = "";

    /// <summary>System the jobs ran on.</summary>
    public string System { get; set; } = "";

    /// <summary>Path of the run file, when there is one.</summary>
    public string? RunFile { get; set; }

    /// <summary>Jobs in dependency order.</summary>
    public List<BatchJobReport> Jobs { get; set; } = [];

    /// <summary>True when every job completed.</summary>
    [JsonIgnore]
    public bool Succeeded => Jobs.Count > 0 && Jobs.All(j => j.Status == BatchJobStatus.Completed);

    /// <summary>True when no job is still to run or running.</summary>
    [JsonIgnore]
    public bool Finished => Jobs.All(j => j.Status is BatchJobStatus.Completed or BatchJobStatus.Failed or BatchJobStatus.Skipped);

    /// <summary>The entry of job <paramref name="name"/>.</summary>
    public BatchJobReport this[string name] => Jobs.First(j => j.Name == name);

    /// <summary>The report as indented camelCase JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ReportJson.TypeInfo<BatchReport>());

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    public static BatchReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, ReportJson.TypeInfo<BatchReport>()) ?? throw new HpcException(HpcErrorKind.InvalidArgument, "Empty batch report.");

    /// <summary>The report as a plain-text table: job, id, state, exit code, elapsed, outputs.</summary>
    public string ToTable()
    {
        string[] header = ["JOB", "ID", "STATE", "EXIT", "ELAPSED", "OUTPUTS"];
        var rows = Jobs.Select(j => new[]
        {
            j.Name,
            j.JobId ?? "-",
            j.Status.ToString().ToUpperInvariant() + (j.RawState is { } raw && !raw.Equals(j.Status.ToString(), StringComparison.OrdinalIgnoreCase) ? $" ({raw})" : ""),
            j.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-",
            j.Elapsed is { } e ? e.ToString(e.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture) : "-",
            j.Outputs.Count == 0 ? "-" : string.Join(", ", j.Outputs),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells) => sb.Append(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd()).Append('\n');
        Line(header);
        foreach (var r in rows) Line(r);
        return sb.ToString();
    }

    internal static readonly JsonSerializerOptions ReportJson = new(FirecrestJson.WithoutReflection) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}

/// <summary>One job of a <see cref="BatchReport"/> (also what the state file keeps).</summary>
public sealed class BatchJobReport
{
    /// <summary>Job name in the run file.</summary>
    public string Name { get; set; } = "";

    /// <summary>Scheduler id of the latest submission, or null before.</summary>
    public string? JobId { get; set; }

    /// <summary>Ids of every submission, oldest first (more than one after retries).</summary>
    public List<string> JobIds { get; set; } = [];

    /// <summary>Where the job is in the run.</summary>
    public BatchJobStatus Status { get; set; }

    /// <summary>Normalised scheduler state of the latest submission.</summary>
    public JobState State { get; set; }

    /// <summary>Scheduler's raw state (<c>COMPLETED</c>, <c>FAILED</c>, PBS <c>F</c>, …).</summary>
    public string? RawState { get; set; }

    /// <summary>Exit code reported by the scheduler.</summary>
    public int? ExitCode { get; set; }

    /// <summary>Elapsed run time in seconds.</summary>
    public long? ElapsedSeconds { get; set; }

    [JsonIgnore]
    public TimeSpan? Elapsed => ElapsedSeconds is { } s ? TimeSpan.FromSeconds(s) : null;

    /// <summary>Local paths of the outputs downloaded.</summary>
    public List<string> Outputs { get; set; } = [];

    /// <summary>Number of submissions (1 + retries used).</summary>
    public int Attempts { get; set; }

    /// <summary>Why the job failed or was skipped.</summary>
    public string? Error { get; set; }

    /// <summary>Hash of the job's definition when it ran; a resumed run reruns a job whose definition changed.</summary>
    public string? Fingerprint { get; set; }
}
