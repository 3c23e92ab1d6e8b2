using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Batch;

/// <summary>
/// Runs the jobs of a <see cref="BatchDefinition"/>: uploads inputs, submits in dependency order with
/// <c>afterok</c> dependencies, polls until each job ends, downloads outputs, skips the dependents of a failed
/// job (cancelling those already queued), retries when asked, and keeps a state file so that a rerun resumes.
/// It polls all its jobs in one loop (on the same <see cref="Backoff"/>, clock and <see cref="JobListing"/> grace rule
/// as <see cref="JobWaiter"/>), since what it submits next depends on which of them ended.
/// </summary>
public sealed class BatchRunner
{
    private readonly IHpcOperations _ops;
    private readonly BatchRunnerOptions _options;
    private readonly IBatchFileMover _mover;
    private readonly object _gate = new();
    private BatchReport? _current;

    /// <summary>Creates a runner acting through <paramref name="ops"/>.</summary>
    public BatchRunner(IHpcOperations ops, BatchRunnerOptions? options = null)
    {
        _ops = ops ?? throw new ArgumentNullException(nameof(ops));
        _options = options ?? new BatchRunnerOptions();
        _mover = _options.FileMover ?? new FilesBatchFileMover(ops);
    }

    /// <summary>A copy of the report of the run in progress (or the last one), or null before a run starts.</summary>
    public BatchReport? Snapshot()
    {
        lock (_gate) return _current is null ? null : BatchReport.FromJson(_current.ToJson());
    }

    /// <summary>The steps a run would take, without contacting the cluster (reads the state file when resuming).</summary>
    public BatchPlan Plan(BatchDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var statePath = _options.StateFileFor(definition);
        var previous = _options.Resume && statePath is not null ? BatchStateFile.Read(statePath) : null;
        var scheduler = _options.SchedulerType ?? "slurm";
        var steps = BatchGraph.Order(definition.Jobs).Select((job, i) =>
        {
            var earlier = Carried(previous, job);
            return new BatchPlanStep(
                i + 1, job.Name, job.DependsOn,
                job.RemoteScript ?? job.ScriptFile ?? "inline script",
                job.WorkingDirectory,
                BatchScript.Directives(job.Resources, scheduler),
                job.Inputs, job.Outputs, job.Retries,
                earlier?.Status == BatchJobStatus.Completed,
                earlier?.JobId);
        }).ToList();
        return new BatchPlan(definition.System, statePath, steps);
    }

    /// <summary>
    /// Runs every job to its end and returns the report. Cancelling stops waiting (jobs already submitted keep
    /// running; a resumed run re-attaches to them) and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<BatchReport> RunAsync(BatchDefinition definition, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var order = BatchGraph.Order(definition.Jobs);
        var statePath = _options.StateFileFor(definition);
        var previous = _options.Resume && statePath is not null ? BatchStateFile.Read(statePath) : null;
        var report = new BatchReport
        {
            RunId = previous?.RunId ?? Guid.NewGuid().ToString("N")[..12],
            System = definition.System,
            RunFile = definition.SourcePath,
            Jobs = order.Select(j => Carried(previous, j) ?? new BatchJobReport { Name = j.Name, Fingerprint = BatchStateFile.Fingerprint(j) }).ToList(),
        };
        lock (_gate) _current = report;
        var run = new Run(this, definition, order, report, statePath, progress);
        try
        {
            run.Save();
            var scheduler = _options.SchedulerType ?? await SchedulerTypeAsync(definition.System, cancellationToken).ConfigureAwait(false);
            await run.ExecuteAsync(scheduler, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            run.Save();
        }
        return report;
    }

    /// <summary>
    /// After a run was cancelled (its <see cref="RunAsync"/> ended): cancels its jobs still queued or running and marks
    /// them failed, and marks the jobs never submitted skipped, so the report says where the run stopped.
    /// </summary>
    public async Task CancelSubmittedAsync(CancellationToken cancellationToken = default)
    {
        BatchReport? report;
        lock (_gate) report = _current;
        if (report is null) return;
        foreach (var entry in report.Jobs)
        {
            if (entry.Status is BatchJobStatus.Completed or BatchJobStatus.Failed or BatchJobStatus.Skipped) continue;
            if (entry.JobId is not null && entry.Status is BatchJobStatus.Pending or BatchJobStatus.Running)
            {
                try
                {
                    await _ops.Compute.CancelJobAsync(report.System, JobId.Parse(entry.JobId, "jobId"), cancellationToken).ConfigureAwait(false);
                }
                catch (HpcException)
                {
                    // Ended meanwhile: nothing left to cancel.
                }
                lock (_gate)
                {
                    entry.Status = BatchJobStatus.Failed;
                    entry.Error = "cancelled with the batch run";
                }
            }
            else
            {
                lock (_gate)
                {
                    entry.Status = BatchJobStatus.Skipped;
                    entry.Error = "not run: the batch run was cancelled";
                }
            }
        }
    }

    /// <summary>The entry of <paramref name="job"/> carried over from an earlier run, made ready to continue; null when it starts afresh.</summary>
    private static BatchJobReport? Carried(BatchReport? previous, BatchJobDefinition job)
    {
        var entry = previous?.Jobs.FirstOrDefault(j => j.Name == job.Name);
        if (entry is null || entry.Fingerprint != BatchStateFile.Fingerprint(job)) return null;
        switch (entry.Status)
        {
            case BatchJobStatus.Completed:
                return entry;
            case BatchJobStatus.Pending or BatchJobStatus.Running or BatchJobStatus.Downloading when entry.JobId is not null:
                entry.Status = BatchJobStatus.Pending; // re-attach by id: poll it, never resubmit
                return entry;
            default:
                entry.Status = BatchJobStatus.Waiting;
                entry.Attempts = 0;
                entry.Error = null;
                entry.ExitCode = null;
                entry.Outputs.Clear();
                return entry;
        }
    }

    private async Task<string> SchedulerTypeAsync(string system, CancellationToken ct)
    {
        var systems = await _ops.Status.GetSystemsAsync(ct).ConfigureAwait(false);
        var match = systems.FirstOrDefault(s => s.Name == system)
            ?? throw new HpcException(HpcErrorKind.NotFound, $"System '{system}' is not known; known systems: {string.Join(", ", systems.Select(s => s.Name))}.");
        return string.IsNullOrEmpty(match.Scheduler?.Type) ? "slurm" : match.Scheduler.Type;
    }

    /// <summary>The state of one execution of a run.</summary>
    private sealed class Run(BatchRunner runner, BatchDefinition definition, IReadOnlyList<BatchJobDefinition> order, BatchReport report,
        string? statePath, IProgress<BatchProgress>? progress)
    {
        // When each polled job was submitted (or, for a job re-attached from an earlier run, first polled): the start of its grace window.
        private readonly Dictionary<string, long> _watchedSince = new(StringComparer.Ordinal);
        private readonly HashSet<string> _madeDirectories = new(StringComparer.Ordinal);
        private string _scheduler = "slurm";

        private IHpcOperations Ops => runner._ops;

        private TimeProvider Time => runner._options.TimeProvider;

        private string System => definition.System;

        public void Save()
        {
            if (statePath is null) return;
            lock (runner._gate) BatchStateFile.Write(statePath, report);
        }

        public async Task ExecuteAsync(string scheduler, CancellationToken ct)
        {
            _scheduler = scheduler;
            foreach (var entry in report.Jobs.Where(e => e.Status == BatchJobStatus.Completed))
                Report(entry, $"{entry.Name}: completed in an earlier run ({entry.JobId}), not submitted again");
            var poll = new Backoff(runner._options.PollInterval, runner._options.MaxPollInterval, factor: 1.5);
            var attempt = 0;
            while (!report.Finished)
            {
                var changed = await SubmitReadyAsync(ct).ConfigureAwait(false);
                changed |= await PollAsync(ct).ConfigureAwait(false);
                if (report.Finished) break;
                if (changed) { attempt = 0; continue; }
                await Task.Delay(poll.Delay(attempt++), Time, ct).ConfigureAwait(false);
            }
        }

        private async Task<bool> SubmitReadyAsync(CancellationToken ct)
        {
            var changed = false;
            foreach (var job in order)
            {
                var entry = report[job.Name];
                if (entry.Status != BatchJobStatus.Waiting) continue;
                var deps = job.DependsOn.Select(d => report[d]).ToList();
                var broken = deps.FirstOrDefault(d => d.Status is BatchJobStatus.Failed or BatchJobStatus.Skipped);
                if (broken is not null)
                {
                    await SkipAsync(entry, broken.Name, ct).ConfigureAwait(false);
                    changed = true;
                    continue;
                }
                // A dependency that may be retried must finish first: an afterok on an attempt that fails would never be satisfied.
                var ready = deps.All(d => d.Status == BatchJobStatus.Completed
                    || (d.Status is BatchJobStatus.Pending or BatchJobStatus.Running && definition[d.Name].Retries == 0));
                if (!ready) continue;
                var after = deps.Where(d => d.Status != BatchJobStatus.Completed).Select(d => d.JobId!).ToList();
                await SubmitAsync(job, entry, after.Count == 0 ? null : "afterok:" + string.Join(':', after), ct).ConfigureAwait(false);
                changed = true;
            }
            return changed;
        }

        private async Task SubmitAsync(BatchJobDefinition job, BatchJobReport entry, string? dependency, CancellationToken ct)
        {
            entry.Attempts++;
            try
            {
                if (_madeDirectories.Add(job.WorkingDirectory))
                    await Ops.Files.MakeDirectoryAsync(System, RemotePath.Parse(job.WorkingDirectory, "workingDirectory"), parent: true, ct).ConfigureAwait(false);
                if (job.Inputs.Count > 0)
                {
                    Set(entry, BatchJobStatus.Uploading, $"{job.Name}: uploading {job.Inputs.Count} input(s)");
                    foreach (var input in job.Inputs) await runner._mover.UploadAsync(System, input.Local, input.Remote, ct).ConfigureAwait(false);
                }
            }
            catch (HpcException e)
            {
                await FailAsync(entry, $"inputs could not be uploaded: {e.Message}", ct).ConfigureAwait(false);
                return;
            }
            var description = BatchScript.Describe(job, _scheduler, dependency);
            string id;
            try
            {
                id = await Ops.Compute.SubmitJobAsync(System, description, $"batch-{report.RunId}-{job.Name}-{entry.Attempts}", ct).ConfigureAwait(false);
            }
            catch (HpcException e)
            {
                await FailAsync(entry, $"submission refused: {e.Message}", ct).ConfigureAwait(false);
                return;
            }
            entry.JobId = id;
            entry.JobIds.Add(id);
            entry.State = JobState.Pending;
            entry.RawState = null;
            entry.ExitCode = null;
            entry.ElapsedSeconds = null;
            _watchedSince[job.Name] = Time.GetTimestamp();
            Set(entry, BatchJobStatus.Pending, $"{job.Name}: submitted as {id}" + (dependency is null ? "" : $" ({dependency})")
                + (entry.Attempts > 1 ? $", attempt {entry.Attempts}" : ""));
        }

        private async Task<bool> PollAsync(CancellationToken ct)
        {
            var changed = false;
            foreach (var entry in report.Jobs.Where(e => e.Status is BatchJobStatus.Pending or BatchJobStatus.Running).ToList())
            {
                if (entry.Status is not (BatchJobStatus.Pending or BatchJobStatus.Running)) continue; // skipped meanwhile
                if (!_watchedSince.TryGetValue(entry.Name, out var since)) _watchedSince[entry.Name] = since = Time.GetTimestamp();
                Job? job;
                try
                {
                    var jobs = await Ops.Compute.GetJobAsync(System, JobId.Parse(entry.JobId, "jobId"), ct).ConfigureAwait(false);
                    job = jobs.LastOrDefault(j => j.JobId == entry.JobId) ?? jobs.LastOrDefault();
                }
                catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound)
                {
                    job = null;
                }
                catch (HpcException e) when (e.Kind is HpcErrorKind.ConnectionFailed or HpcErrorKind.Timeout or HpcErrorKind.Unavailable or HpcErrorKind.RateLimited)
                {
                    continue; // transient: the next poll asks again
                }
                if (job is null)
                {
                    if (!JobListing.IsWithinGrace(Time.GetElapsedTime(since), runner._options.NotListedGrace))
                    {
                        await FinishedAsync(entry, JobState.Unknown, ct, $"job {entry.JobId} is no longer known to the scheduler").ConfigureAwait(false);
                        changed = true;
                    }
                    continue; // not listed yet
                }
                var state = job.State;
                var rawChanged = entry.RawState != job.Status.State;
                entry.State = state;
                entry.RawState = job.Status.State;
                entry.ExitCode = job.Status.ExitCode;
                entry.ElapsedSeconds = job.Time.Elapsed;
                if (JobStates.IsFinal(state))
                {
                    await FinishedAsync(entry, state, ct).ConfigureAwait(false);
                    changed = true;
                }
                else
                {
                    var status = state == JobState.Running ? BatchJobStatus.Running : BatchJobStatus.Pending;
                    if (status != entry.Status || rawChanged)
                    {
                        Set(entry, status, $"{entry.Name}: {job.Status.State}" + (job.Status.StateReason is { Length: > 0 } r && r != "None" ? $" ({r})" : ""));
                        changed = true;
                    }
                }
            }
            return changed;
        }

        private async Task FinishedAsync(BatchJobReport entry, JobState state, CancellationToken ct, string? error = null)
        {
            var job = definition[entry.Name];
            if (state == JobState.Completed)
            {
                if (job.Outputs.Count > 0)
                {
                    Set(entry, BatchJobStatus.Downloading, $"{entry.Name}: downloading {job.Outputs.Count} output(s)");
                    try
                    {
                        entry.Outputs.Clear();
                        foreach (var output in job.Outputs)
                        {
                            await runner._mover.DownloadAsync(System, output.Remote, output.Local, ct).ConfigureAwait(false);
                            entry.Outputs.Add(output.Local);
                        }
                    }
                    catch (HpcException e)
                    {
                        await FailAsync(entry, $"outputs could not be downloaded: {e.Message}", ct).ConfigureAwait(false);
                        return;
                    }
                }
                Set(entry, BatchJobStatus.Completed, $"{entry.Name}: completed ({entry.JobId})");
                return;
            }
            var broken = job.DependsOn.Select(d => report[d]).FirstOrDefault(d => d.Status is BatchJobStatus.Failed or BatchJobStatus.Skipped);
            if (broken is not null)
            {
                await SkipAsync(entry, broken.Name, ct).ConfigureAwait(false);
                return;
            }
            var why = error ?? $"job {entry.JobId} ended {entry.RawState}" + (entry.ExitCode is { } code ? $" with exit code {code}" : "");
            if (entry.Attempts <= job.Retries)
            {
                entry.Error = why;
                Set(entry, BatchJobStatus.Waiting, $"{entry.Name}: {why}; retrying ({entry.Attempts} of {job.Retries + 1} attempts used)");
                return;
            }
            await FailAsync(entry, why, ct).ConfigureAwait(false);
        }

        private async Task FailAsync(BatchJobReport entry, string error, CancellationToken ct)
        {
            entry.Error = error;
            Set(entry, BatchJobStatus.Failed, $"{entry.Name}: failed: {error}");
            foreach (var name in BatchGraph.DependentsOf(order, entry.Name))
            {
                var dependent = report[name];
                if (dependent.Status is BatchJobStatus.Completed or BatchJobStatus.Failed or BatchJobStatus.Skipped) continue;
                await SkipAsync(dependent, entry.Name, ct).ConfigureAwait(false);
            }
        }

        private async Task SkipAsync(BatchJobReport entry, string because, CancellationToken ct)
        {
            if (entry.JobId is not null && entry.Status is BatchJobStatus.Pending or BatchJobStatus.Running)
            {
                try
                {
                    await Ops.Compute.CancelJobAsync(System, JobId.Parse(entry.JobId, "jobId"), ct).ConfigureAwait(false);
                }
                catch (HpcException)
                {
                    // Already gone: it can never start, since its afterok dependency failed.
                }
            }
            entry.Error = $"skipped because '{because}' did not complete";
            Set(entry, BatchJobStatus.Skipped, $"{entry.Name}: {entry.Error}");
        }

        private void Set(BatchJobReport entry, BatchJobStatus status, string message)
        {
            entry.Status = status;
            Save();
            Report(entry, message);
        }

        private void Report(BatchJobReport entry, string message)
        {
            var finished = report.Jobs.Count(j => j.Status is BatchJobStatus.Completed or BatchJobStatus.Failed or BatchJobStatus.Skipped);
            progress?.Report(new BatchProgress(entry.Name, entry.Status, entry.JobId, entry.Attempts, message, finished, report.Jobs.Count));
        }
    }
}
