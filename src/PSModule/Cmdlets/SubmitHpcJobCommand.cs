using System.Collections;
using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;
using Job = Firecrest.Core.Models.Job;
using JobState = Firecrest.Core.Models.JobState;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Submits a batch job from a local script file, a script on the system, or script text.</summary>
[Cmdlet(VerbsLifecycle.Submit, "Job", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true)]
[OutputType(typeof(HpcJob))]
public sealed class SubmitHpcJobCommand : HpcSessionCmdlet
{
    /// <summary>A local script file, uploaded with the job.</summary>
    public const string ScriptFileSet = "ScriptFile";

    /// <summary>A script already on the system.</summary>
    public const string RemoteScriptSet = "RemoteScriptPath";

    public const string ScriptTextSet = "Script";

    // Also in the script text set, where PowerShell puts piped input (the cmdlet has no default set for that reason):
    // a piped file binds here by its FullName and is submitted as a file, even though its text form binds -Script too.
    /// <summary>Local script file, sent with the job.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ScriptFileSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ScriptTextSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string ScriptFile { get; set; } = "";

    /// <summary>Path of a script on the system.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RemoteScriptSet)]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    [ValidateNotNullOrEmpty]
    public string RemoteScriptPath { get; set; } = "";

    /// <summary>Script text (starting with <c>#!/bin/bash</c>).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ScriptTextSet)]
    [ValidateNotNullOrEmpty]
    public string Script { get; set; } = "";

    /// <summary>Working directory on the system: absolute, <c>~</c>, <c>~/x</c> or relative to the home directory.</summary>
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    [ValidateNotNullOrEmpty]
    public string WorkingDirectory { get; set; } = "";

    /// <summary>Job name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Scheduler account to charge (Tab completes yours).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AccountCompleter))]
    public string? Account { get; set; }

    /// <summary>Partition (queue).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PartitionCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Partition { get; set; }

    /// <summary>Reservation to run in.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Reservation { get; set; }

    /// <summary>Environment variables of the job.</summary>
    [Parameter]
    public Hashtable? Environment { get; set; }

    /// <summary>Standard output file (scheduler patterns like %j allowed).</summary>
    [Parameter]
    public string? StandardOutput { get; set; }

    /// <summary>Standard error file (scheduler patterns like %j allowed).</summary>
    [Parameter]
    public string? StandardError { get; set; }

    /// <summary>Wait until the job ends and return its final state.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: give up after this many seconds; the job is written as last seen, then a timeout error (the job keeps running).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = int.MaxValue;

    /// <inheritdoc/>
    protected override void Process()
    {
        var system = SystemName;
        var job = new JobDescription
        {
            Name = Name, Account = Account, Partition = Partition, Reservation = Reservation,
            WorkingDirectory = ResolveRemote(system, WorkingDirectory, "WorkingDirectory").Value, StandardOutput = StandardOutput, StandardError = StandardError,
            Env = Environment?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? ""),
        };
        string what;
        switch (ScriptFile.Length > 0 ? ScriptFileSet : ParameterSetName)
        {
            case ScriptFileSet:
                var local = GetUnresolvedProviderPathFromPSPath(ScriptFile);
                if (!File.Exists(local)) Fail($"No local script file '{local}'.", "HpcScriptNotFound", local, ErrorCategory.ObjectNotFound);
                job.Script = File.ReadAllText(local);
                what = local;
                break;
            case RemoteScriptSet:
                job.ScriptPath = ResolveRemote(system, RemoteScriptPath, "RemoteScriptPath").Value;
                what = RemoteScriptPath;
                break;
            default:
                job.Script = Script;
                what = "script text";
                break;
        }
        ErrorTarget = what;
        if (!ShouldProcess($"{system}: {what} in {job.WorkingDirectory}", "Submit job")) return;
        // Names a wrong system, directory, partition or account before anything is submitted (fields named as the parameters).
        Run(ct => SubmitPreflight.CheckAsync(Ops, system, job.WorkingDirectory!, Partition, Account, new SubmitPreflight.FieldNames("System", "WorkingDirectory", "Partition", "Account"), ct));
        var id = Run(ct => Ops.Compute.SubmitJobAsync(system, job, null, ct));
        if (Wait) WriteWaitResult(system, WaitForJob(system, id, TimeoutOf(Timeout), "Submit-HpcJob -Wait"));
        else WriteObject(OutputObjects.Job(FindJob(system, id), system));
    }
}
