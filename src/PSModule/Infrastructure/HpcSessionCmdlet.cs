using System.Diagnostics;
using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Models;
using Job = Firecrest.Core.Models.Job;
using JobState = Firecrest.Core.Models.JobState;
using Firecrest.Core.Operations;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Sessions;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>Base of the cmdlets that act through a session on one system.</summary>
public abstract class HpcSessionCmdlet : HpcCmdlet
{
    /// <summary>Session to use (default: the current one from <c>Connect-Hpc</c>).</summary>
    [Parameter]
    [ValidateNotNull]
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
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("Not connected: run Connect-Hpc first."),
                    "HpcNotConnected", ErrorCategory.ConnectionError, null));
            return s!;
        }
    }

    /// <summary>The operations of the session.</summary>
    protected IHpcOperations Ops => CurrentSession.Operations;

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

    /// <summary>A job id given to a cmdlet (text or a job's <c>JobId</c>), checked once here; InvalidArgument otherwise.</summary>
    protected static JobId ParseJobId(string id) => Core.Models.JobId.Parse(id, "JobId");

    /// <summary>Finds a job just submitted (the scheduler may take a moment to list it).</summary>
    protected Job FindJob(string system, JobId id) => Run(async ct =>
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await Ops.Compute.GetJobAsync(system, id, ct).ConfigureAwait(false))[0];
            }
            catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound && attempt < 20)
            {
                await Task.Delay(500, ct).ConfigureAwait(false);
            }
        }
    });

    /// <summary>
    /// Polls a job until it ends, showing its state and elapsed time; an <see cref="HpcErrorKind.Timeout"/> error
    /// after <paramref name="timeout"/>.
    /// </summary>
    protected Job WaitForJob(string system, JobId id, TimeSpan timeout, string activity)
    {
        var clock = Stopwatch.StartNew();
        var progressId = Math.Abs(id.Value.GetHashCode(StringComparison.Ordinal) % 100000) + 1;
        try
        {
            return Run(async ct =>
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                if (timeout < TimeSpan.FromDays(1)) limit.CancelAfter(timeout);
                var delay = TimeSpan.FromMilliseconds(300);
                try
                {
                    while (true)
                    {
                        Job? job = null;
                        try
                        {
                            job = (await Ops.Compute.GetJobAsync(system, id, limit.Token).ConfigureAwait(false))[0];
                        }
                        catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound && clock.Elapsed < TimeSpan.FromSeconds(15))
                        {
                            // just submitted: not listed yet
                        }
                        if (job is not null && JobStates.IsFinal(job.State)) return job;
                        var state = job?.State.ToString() ?? "Submitted";
                        var elapsed = clock.Elapsed;
                        Post(() => WriteProgress(new ProgressRecord(progressId, activity, $"job {id} on {system}: {state}, waited {elapsed:hh\\:mm\\:ss}")));
                        await Task.Delay(delay, limit.Token).ConfigureAwait(false);
                        delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 5000));
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new HpcException(HpcErrorKind.Timeout, $"Job {id} on {system} did not end within {timeout.TotalSeconds:0} s.");
                }
            });
        }
        finally
        {
            WriteProgress(new ProgressRecord(progressId, activity, "done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
