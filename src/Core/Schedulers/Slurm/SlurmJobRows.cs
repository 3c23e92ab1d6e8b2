using Firecrest.Core.Models;

namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>
/// Parses the 20-field <c>|</c>-separated job rows printed by <c>sacct --parsable2</c> and by <c>squeue --Format</c>
/// (whose empty <c>||</c> columns line up with sacct's ExitCode and Suspended), and merges the two sources.
/// </summary>
public static class SlurmJobRows
{
    /// <summary>sacct <c>--format</c> fields, in order.</summary>
    public const string SacctFormat = "JobID,AllocNodes,Cluster,ExitCode,Group,Account,JobName,NodeList,Partition,Priority,State,Reason,ElapsedRaw,Submit,Start,End,Suspended,TimelimitRaw,User,WorkDir";

    /// <summary>squeue <c>--Format</c> fields, aligned with <see cref="SacctFormat"/>.</summary>
    public const string SqueueFormat = "JobID:|,NumNodes:|,Cluster:||,GroupName:|,Account:|,Name:|,NodeList:|,Partition:|,PriorityLong:|,State:|,Reason:|,TimeUsed:|,SubmitTime:|,StartTime:|,EndTime:||,TimeLimit:|,UserName:|,WorkDir:";

    private const int FieldCount = 20;

    /// <summary>One parsed row: a job, or a step (<c>ID.step</c>) of the job <see cref="ParentId"/>.</summary>
    /// <param name="Job">The row as a job.</param>
    /// <param name="ParentId">Owning job id for steps, null for jobs.</param>
    /// <param name="IsPlaceholder">
    /// True for the short-lived row sacct prints right after a job ends or starts (Slurm 22.05: JobName
    /// <c>allocation</c>, empty partition and working directory); its state is not reliable.
    /// </param>
    public sealed record Row(Job Job, string? ParentId, bool IsPlaceholder);

    /// <summary>Parses rows; lines without exactly 20 fields (headers, noise) are skipped.</summary>
    public static List<Row> Parse(string stdout)
    {
        var rows = new List<Row>();
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            var f = line.Split('|');
            if (f.Length != FieldCount) continue;
            rows.Add(ToRow(f));
        }
        return rows;
    }

    private static Row ToRow(string[] f)
    {
        var id = f[0].Trim();
        var (exit, signal) = ParseExitCode(f[3]);
        var job = new Job
        {
            JobId = id,
            AllocationNodes = SchedulerText.ParseInt(f[1]),
            Cluster = Empty(f[2]),
            Status = new JobStatus { State = f[10].Trim(), StateReason = Empty(f[11]), ExitCode = exit, InterruptSignal = signal },
            Group = Empty(f[4]),
            Account = Empty(f[5]),
            Name = Empty(f[6]),
            Nodes = Empty(f[7]),
            Partition = Empty(f[8]),
            Priority = SchedulerText.ParseLong(f[9]),
            Time = new JobTime
            {
                Elapsed = ParseElapsed(f[12]),
                Start = SchedulerText.ParseLong(f[14]),
                End = SchedulerText.ParseLong(f[15]),
                Suspended = SchedulerText.ParseDuration(f[16]),
                Limit = ParseLimit(f[17]),
            },
            User = Empty(f[18]),
            WorkingDirectory = Empty(f[19]),
        };
        var dot = id.IndexOf('.');
        var parent = dot > 0 ? id[..dot] : null;
        var placeholder = parent is null && job.Partition is null && job.WorkingDirectory is null && f[17].Trim().Length == 0;
        return new Row(job, parent, placeholder);
    }

    /// <summary>Splits Slurm's <c>rc:signal</c>.</summary>
    public static (int? ExitCode, int? Signal) ParseExitCode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        var parts = text.Trim().Split(':');
        return (SchedulerText.ParseInt(parts[0]), parts.Length > 1 ? SchedulerText.ParseInt(parts[1]) : null);
    }

    /// <summary>ElapsedRaw seconds (sacct) or a <c>[D-]H:MM:SS</c> duration (squeue TimeUsed).</summary>
    public static long? ParseElapsed(string text) =>
        text.Contains(':') ? SchedulerText.ParseDuration(text) : SchedulerText.ParseLong(text);

    /// <summary>TimelimitRaw minutes (sacct) ×60, or a duration (squeue TimeLimit); null for UNLIMITED and the like.</summary>
    public static long? ParseLimit(string text)
    {
        text = text.Trim();
        if (text.Length == 0) return null;
        if (text.Contains(':') || text.Contains('-')) return SchedulerText.ParseDuration(text);
        return long.TryParse(text, out var minutes) ? minutes * 60 : null;
    }

    private static string? Empty(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>
    /// Builds jobs from sacct rows (steps become tasks) and merges squeue rows: a squeue job replaces the sacct job
    /// when squeue says PENDING (as upstream) or when the sacct row is the incomplete placeholder; jobs only in
    /// squeue are added. Returns the merged jobs and the ids whose only record is a placeholder.
    /// </summary>
    public static (List<Job> Jobs, List<string> Unresolved) Merge(List<Row> sacct, List<Row> squeue)
    {
        var jobs = new Dictionary<string, Job>(StringComparer.Ordinal);
        var order = new List<string>();
        var placeholders = new HashSet<string>(StringComparer.Ordinal);
        var pendingTasks = new List<Row>();
        foreach (var row in sacct)
        {
            if (row.ParentId is not null) { pendingTasks.Add(row); continue; }
            if (!jobs.ContainsKey(row.Job.JobId)) order.Add(row.Job.JobId);
            jobs[row.Job.JobId] = row.Job;
            if (row.IsPlaceholder) placeholders.Add(row.Job.JobId);
            else placeholders.Remove(row.Job.JobId);
        }
        foreach (var row in squeue)
        {
            if (row.ParentId is not null) continue;
            var id = row.Job.JobId;
            if (!jobs.TryGetValue(id, out var existing))
            {
                jobs[id] = row.Job;
                order.Add(id);
            }
            else if (placeholders.Remove(id) || string.Equals(row.Job.Status.State, "PENDING", StringComparison.OrdinalIgnoreCase))
            {
                row.Job.Tasks = existing.Tasks;
                jobs[id] = row.Job;
            }
        }
        foreach (var t in pendingTasks)
        {
            if (!jobs.TryGetValue(t.ParentId!, out var parent)) continue;
            parent.Tasks ??= [];
            parent.Tasks.Add(new JobTask { Id = t.Job.JobId, Name = t.Job.Name, Status = t.Job.Status, Time = t.Job.Time });
        }
        return (order.Select(id => jobs[id]).ToList(), placeholders.ToList());
    }

    /// <summary>
    /// The array id of an array element (<c>12</c> for <c>12_3</c> and for the pending range <c>12_[4-9]</c>); null
    /// for any other id.
    /// </summary>
    public static string? ArrayIdOf(string id)
    {
        var underscore = id.IndexOf('_');
        return underscore > 0 && id.IndexOf('.') < 0 ? id[..underscore] : null;
    }

    /// <summary>
    /// Folds array elements (<c>12_3</c>, <c>12_[4-9]</c>) into one job per array (id <c>12</c>) whose tasks are the
    /// elements, each with its own status and time; the steps of an element are not kept. The array job takes its
    /// fields from a row for the array id itself when there is one (keeping its raw state), else from the first
    /// element, with a state summarising the elements (see <see cref="SummaryStatus"/>). Other jobs pass unchanged.
    /// </summary>
    public static List<Job> GroupArrays(IReadOnlyList<Job> jobs)
    {
        var elements = new Dictionary<string, List<Job>>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            var arrayId = ArrayIdOf(job.JobId);
            if (arrayId is null) continue;
            if (!elements.TryGetValue(arrayId, out var list)) elements[arrayId] = list = [];
            list.Add(job);
        }
        if (elements.Count == 0) return jobs.ToList();

        var result = new List<Job>();
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        var own = jobs.Where(j => elements.ContainsKey(j.JobId)).GroupBy(j => j.JobId).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            var key = ArrayIdOf(job.JobId) ?? job.JobId;
            if (!elements.TryGetValue(key, out var members)) { result.Add(job); continue; }
            if (emitted.Add(key)) result.Add(ArrayJob(key, own.GetValueOrDefault(key), members));
        }
        return result;
    }

    private static Job ArrayJob(string arrayId, Job? own, List<Job> members)
    {
        var first = own ?? members[0];
        var allFinal = members.All(m => JobStates.IsFinal(m.State));
        var starts = members.Select(m => m.Time.Start).Where(s => s is > 0).ToList();
        var ends = members.Select(m => m.Time.End).Where(e => e is > 0).ToList();
        return new Job
        {
            JobId = arrayId,
            Name = first.Name,
            Status = own is not null && own.Status.State.Length > 0 ? own.Status : SummaryStatus(members),
            Tasks = members.Select(m => new JobTask { Id = m.JobId, Name = m.Name, Status = m.Status, Time = m.Time }).ToList(),
            Time = new JobTime
            {
                Elapsed = members.Max(m => m.Time.Elapsed),
                Start = starts.Count > 0 ? starts.Min() : first.Time.Start,
                End = allFinal && ends.Count > 0 ? ends.Max() : null,
                Suspended = first.Time.Suspended,
                Limit = first.Time.Limit,
            },
            Account = first.Account,
            AllocationNodes = first.AllocationNodes,
            Cluster = first.Cluster ?? members.Select(m => m.Cluster).FirstOrDefault(c => c is not null),
            Group = first.Group,
            Nodes = first.Nodes,
            Partition = first.Partition,
            KillRequestUser = first.KillRequestUser,
            User = first.User,
            WorkingDirectory = first.WorkingDirectory,
            Priority = first.Priority,
        };
    }

    /// <summary>
    /// The status of an array from its elements: RUNNING while any runs, else PENDING while any waits (or is held);
    /// once all are final, the first FAILED element's status, else the first CANCELLED or TIMEOUT one, else COMPLETED.
    /// </summary>
    public static JobStatus SummaryStatus(IReadOnlyList<Job> elements)
    {
        if (elements.Count == 0) return new JobStatus();
        var running = elements.FirstOrDefault(e => e.State == JobState.Running);
        if (running is not null) return new JobStatus { State = "RUNNING", StateReason = running.Status.StateReason };
        var waiting = elements.FirstOrDefault(e => !JobStates.IsFinal(e.State));
        if (waiting is not null) return new JobStatus { State = waiting.Status.State, StateReason = waiting.Status.StateReason };
        var failed = elements.FirstOrDefault(e => e.State == JobState.Failed)
            ?? elements.FirstOrDefault(e => e.State is JobState.Cancelled or JobState.Timeout);
        if (failed is not null) return Copy(failed.Status);
        var exit = elements.Select(e => e.Status.ExitCode).FirstOrDefault(c => c is not null);
        return new JobStatus { State = "COMPLETED", StateReason = elements[0].Status.StateReason, ExitCode = exit, InterruptSignal = elements[0].Status.InterruptSignal };
    }

    private static JobStatus Copy(JobStatus s) =>
        new() { State = s.State, StateReason = s.StateReason, ExitCode = s.ExitCode, InterruptSignal = s.InterruptSignal };
}
