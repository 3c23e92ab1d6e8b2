using System.Management.Automation;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Objects;
using Job = Firecrest.Core.Models.Job;
using JobState = Firecrest.Core.Models.JobState;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>
/// Engine models as the cmdlets write them: typed objects (sizes as numbers, times as dates, the job state as an
/// enum) that carry the facts the pipeline needs downstream (the system, a file's full path), so
/// <c>Get-HpcJob | Stop-HpcJob</c> and <c>Get-HpcChildItem | Receive-HpcFile</c> bind by property name.
/// </summary>
internal static class OutputObjects
{
    public static PSObject WithSystem(object model, string system)
    {
        var o = PSObject.AsPSObject(model);
        Set(o, "System", system);
        return o;
    }

    public static PSObject File(RemoteFile file, string system, string fullName)
    {
        var bits = UnixMode.BitsOf(file.Permissions);
        return PSObject.AsPSObject(new HpcItem
        {
            // `ls -l` of a file (not a directory) names the entry by the path given: the object shows its file name.
            Name = file.Name.Length > 1 && file.Name.StartsWith('/') ? file.Name.TrimEnd('/')[(file.Name.TrimEnd('/').LastIndexOf('/') + 1)..] : file.Name,
            FullName = fullName,
            Type = file.Type,
            Mode = file.Permissions.Length == 0 ? "" : file.Type + file.Permissions,
            Permissions = file.Permissions,
            OctalMode = file.Permissions.Length == 0 ? "" : UnixMode.Octal(bits),
            User = file.User,
            Group = file.Group,
            Size = long.TryParse(file.Size, out var n) ? n : 0L,
            LastModified = UnixMode.ListingTime(file.LastModified),
            LinkTarget = file.LinkTarget,
            System = system,
        });
    }

    public static HpcItemStat Stat(FileStat st, string system, string fullName) => new()
    {
        FullName = fullName,
        Mode = UnixMode.Text(st.Mode),
        OctalMode = UnixMode.Octal((int)(st.Mode & 0xFFF)),
        RawMode = st.Mode,
        Size = st.Size,
        Inode = st.Ino,
        Device = st.Dev,
        Links = st.Nlink,
        Uid = st.Uid,
        Gid = st.Gid,
        LastAccess = DateTimeOffset.FromUnixTimeSeconds(st.Atime),
        LastModified = DateTimeOffset.FromUnixTimeSeconds(st.Mtime),
        LastStatusChange = DateTimeOffset.FromUnixTimeSeconds(st.Ctime),
        System = system,
    };

    public static HpcJob Job(Job job, string system)
    {
        var state = (HpcJobState)(long)job.State;
        var ended = JobStates.IsFinal(job.State);
        return new HpcJob
        {
            JobId = job.JobId,
            Name = job.Name,
            State = state,
            SchedulerState = job.Status.State,
            Reason = string.IsNullOrEmpty(job.Status.StateReason) || job.Status.StateReason == "None" ? null : job.Status.StateReason,
            ExitCode = job.EndedExitCode,
            Signal = ended && job.Status.InterruptSignal is > 0 ? job.Status.InterruptSignal : null,
            HasEnded = ended,
            User = job.User,
            Account = job.Account,
            Partition = job.Partition,
            Group = job.Group,
            Nodes = job.Nodes,
            NodeCount = job.AllocationNodes,
            WorkingDirectory = job.WorkingDirectory,
            Priority = job.Priority,
            StartTime = Instant(job.Time.Start),
            EndTime = ended ? Instant(job.Time.End) : null,
            Elapsed = Seconds(job.Time.Elapsed),
            TimeLimit = Seconds(job.Time.Limit),
            Tasks = job.Tasks?.Select(t =>
            {
                var taskState = JobStates.Normalize(t.Status.State, t.Status.ExitCode);
                return new HpcJobTask
                {
                    Id = t.Id,
                    Name = t.Name,
                    State = (HpcJobState)(long)taskState,
                    ExitCode = JobStates.EndedExitCode(taskState, t.Status.ExitCode),
                    Elapsed = Seconds(t.Time.Elapsed),
                };
            }).ToList() ?? [],
            System = system,
        };
    }

    // Schedulers write 0 for "not yet".
    private static DateTimeOffset? Instant(long? epochSeconds) =>
        epochSeconds is > 0 and var s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    private static TimeSpan? Seconds(long? seconds) => seconds is >= 0 and var s ? TimeSpan.FromSeconds(s) : null;

    private static void Set(PSObject o, string name, object? value)
    {
        if (o.Properties[name] is PSNoteProperty p) p.Value = value;
        else o.Properties.Add(new PSNoteProperty(name, value));
    }
}
