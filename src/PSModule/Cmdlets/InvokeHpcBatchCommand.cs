using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Batch;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>
/// Runs a batch run file (YAML: jobs with dependencies, inputs and outputs; see docs/batch.md): checks the whole file
/// first, submits the jobs in dependency order, moves inputs and outputs of any size, and writes the report. A failed
/// job is a non-terminating error after the report: use -ErrorAction Stop (or test $?) to end a script with a
/// non-zero exit status. Ctrl+C stops waiting; submitted jobs keep running and -Resume continues the run.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Batch", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true)]
[OutputType(typeof(BatchReport), typeof(BatchJobReport))]
public sealed class InvokeHpcBatchCommand : HpcSessionCmdlet
{
    private const int RunProgressId = 7100;

    /// <summary>The run file (YAML).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Continue the earlier run from its state file (&lt;run file&gt;.state.json): completed jobs are not submitted again, running ones are followed.</summary>
    [Parameter]
    public SwitchParameter Resume { get; set; }

    /// <summary>Write one object per job (BatchJobReport) instead of the run's report.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Account of the transfer jobs that move large inputs and outputs (default: the run file's defaults.account).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AccountCompleter))]
    public string? Account { get; set; }

    private string? _running;

    /// <inheritdoc/>
    protected override string? ResumeHint => _running is null ? null
        : $"Stopped waiting; submitted jobs keep running. To continue the run: Invoke-HpcBatch -Path '{_running.Replace("'", "''", StringComparison.Ordinal)}' -Resume";

    /// <inheritdoc/>
    protected override void Process()
    {
        var file = GetUnresolvedProviderPathFromPSPath(Path);
        BatchDefinition definition;
        try
        {
            definition = BatchFile.Load(file);
        }
        catch (BatchValidationException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "HpcBatchInvalid", ErrorCategory.InvalidData, file)
            {
                ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Fix the run file at the line and column given." },
            });
            return;
        }
        catch (HpcException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, file));
            return;
        }

        var transfers = new FileTransferOptions { Account = Account ?? definition.Defaults.Account };
        var runner = new BatchRunner(Ops, new BatchRunnerOptions
        {
            Resume = Resume,
            FileMover = new TransferClientBatchFileMover(Ops, FileTransfers.ClientFor(Ops), transfers),
        });
        var plan = runner.Plan(definition);
        var text = plan.ToString().TrimEnd();
        if (!ShouldProcess(text, $"Run the {plan.Steps.Count} jobs of '{file}' on '{plan.System}'?", "Invoke-HpcBatch"))
        {
            WriteInformation(new InformationRecord(text, "Invoke-HpcBatch"), ["Plan"]);
            return;
        }

        var ids = definition.Jobs.Select((j, i) => (j.Name, Id: RunProgressId + 1 + i)).ToDictionary(x => x.Name, x => x.Id, StringComparer.Ordinal);
        var progress = new ActionProgress<BatchProgress>(p => Post(() => ShowProgress(p, ids)));
        BatchReport report;
        try
        {
            _running = file;
            report = Run(ct => runner.RunAsync(definition, progress, ct));
        }
        finally
        {
            _running = null;
            foreach (var id in ids.Values) WriteProgress(new ProgressRecord(id, "job", "done") { ParentActivityId = RunProgressId, RecordType = ProgressRecordType.Completed });
            WriteProgress(Progress.Done(RunProgressId, "Invoke-HpcBatch"));
        }

        if (PassThru) foreach (var job in report.Jobs) WriteObject(job);
        else WriteObject(report);

        if (!report.Succeeded)
        {
            var bad = report.Jobs.Where(j => j.Status != BatchJobStatus.Completed)
                .Select(j => $"{j.Name} {j.Status.ToString().ToLowerInvariant()}{(j.Error is null ? "" : ": " + j.Error)}");
            WriteError(new ErrorRecord(
                new HpcException(HpcErrorKind.Internal, $"Batch run '{file}' did not complete: {string.Join("; ", bad)}."),
                "HpcBatchFailed", ErrorCategory.OperationStopped, report));
        }
    }

    private void ShowProgress(BatchProgress p, IReadOnlyDictionary<string, int> ids)
    {
        var overall = new ProgressRecord(RunProgressId, "Invoke-HpcBatch", $"{p.Finished} of {p.Total} jobs finished")
        {
            PercentComplete = p.Total == 0 ? 100 : Math.Clamp(p.Finished * 100 / p.Total, 0, 100),
        };
        WriteProgress(overall);
        if (!ids.TryGetValue(p.Job, out var id)) return;
        var record = new ProgressRecord(id, $"{p.Job}{(p.JobId is null ? "" : $" (job {p.JobId})")}", p.Message)
        {
            ParentActivityId = RunProgressId,
            CurrentOperation = p.Status.ToString(),
        };
        if (p.Status is BatchJobStatus.Completed or BatchJobStatus.Failed or BatchJobStatus.Skipped) record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
    }
}
