using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Job = Firecrest.Core.Models.Job;
using Firecrest.Core.Operations;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Sessions;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>Base of the cmdlets that act through a session on one system.</summary>
public abstract class HpcSessionCmdlet : HpcCmdlet
{
    /// <summary>Session to use (default: the current one from <c>Connect-HpcSession</c>); a session piped in binds here.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    [SessionNameTransformation]
    [ArgumentCompleter(typeof(SessionNameCompleter))]
    public HpcSession? Session { get; set; }

    /// <summary>System name (default: the session's first system).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SystemCompleter))]
    [ValidateNotNullOrEmpty]
    public string? System { get; set; }

    /// <summary>The session this command acts through.</summary>
    protected HpcSession CurrentSession
    {
        get
        {
            var s = Session ?? HpcSessionStore.Current;
            if (s is null)
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("Not connected: run Connect-HpcSession first."),
                    "HpcNotConnected", ErrorCategory.ConnectionError, MyInvocation.MyCommand.Name));
            return s!;
        }
    }

    /// <summary>The operations of the session.</summary>
    protected IHpcOperations Ops => CurrentSession.Operations;

    /// <summary>A job id given to a cmdlet (text or a job's <c>JobId</c>), checked once here; InvalidArgument otherwise.</summary>
    protected static Core.Models.JobId ParseJobId(string id) => Core.Models.JobId.Parse(id, "JobId");

    /// <inheritdoc/>
    protected override string? ErrorSystem => !string.IsNullOrEmpty(System) ? System : (Session ?? HpcSessionStore.Current)?.DefaultSystem;

    /// <summary>The system this command acts on.</summary>
    protected string SystemName
    {
        get
        {
            if (!string.IsNullOrEmpty(System)) return System!;
            var d = CurrentSession.DefaultSystem;
            if (d is null) Fail("The session has no systems; give -System.", "HpcNoSystem");
            return d!;
        }
    }

    /// <summary>
    /// A remote path parameter as the engine path it names: <c>~</c>, <c>~/x</c> and relative paths under the home
    /// directory (see <see cref="RemotePathResolver"/>); a bad one is an error naming <paramref name="field"/>.
    /// </summary>
    protected RemotePath ResolveRemote(string system, string text, string field) =>
        Run(ct => new RemotePathResolver(Ops, system).ResolveAsync(text, field, ct));

    private static readonly Backoff Poll = new(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5), factor: 1.5);

    /// <summary>Finds a job just submitted or cancelled (the scheduler may take a moment to list it).</summary>
    protected Job FindJob(string system, string id) =>
        Run(ct => new JobWaiter(Ops).WaitAsync(system, id, new JobWaitOptions { Poll = Poll, Until = _ => true }, ct)).Job!;

    /// <summary>
    /// Waits until a job ends, showing its state and elapsed time; after <paramref name="timeout"/> (null: none) the
    /// result has <see cref="JobWaitResult.TimedOut"/> set and the last known job (see <see cref="WriteWaitResult"/>).
    /// </summary>
    protected JobWaitResult WaitForJob(string system, string id, TimeSpan? timeout, string activity)
    {
        var progressId = Math.Abs(id.GetHashCode(StringComparison.Ordinal) % 100000) + 1;
        var progress = new ActionProgress<JobWaitProgress>(p =>
        {
            var state = p.Job?.State.ToString() ?? "Submitted";
            Post(() => WriteProgress(new ProgressRecord(progressId, activity, $"job {id} on {system}: {state}, waited {p.Elapsed:hh\\:mm\\:ss}")));
        });
        try
        {
            return Run(ct => new JobWaiter(Ops).WaitAsync(system, id, new JobWaitOptions { Poll = Poll, Timeout = timeout, Progress = progress }, ct));
        }
        finally
        {
            WriteProgress(new ProgressRecord(progressId, activity, "done") { RecordType = ProgressRecordType.Completed });
        }
    }

    /// <summary>Writes the job a wait ended with; after a timeout, the last known job and then a non-terminating timeout error.</summary>
    protected void WriteWaitResult(string system, JobWaitResult result)
    {
        if (result.Job is not null) WriteObject(OutputObjects.Job(result.Job, system));
        if (result.TimedOut) WriteHpcError(result.TimeoutError(system), result.JobId);
    }

    /// <summary>The -Timeout parameter in seconds as a wait limit (its default, int.MaxValue, is none).</summary>
    protected static TimeSpan? TimeoutOf(int seconds) => seconds == int.MaxValue ? null : TimeSpan.FromSeconds(seconds);

    private sealed class ActionProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
