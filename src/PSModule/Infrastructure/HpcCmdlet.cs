using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using Firecrest.Core;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>
/// Base of every Firecrest cmdlet: runs async engine/client calls on the thread pool with a token that Ctrl+C
/// (<see cref="StopProcessing"/>) cancels, while the pipeline thread runs whatever the work posts back (progress,
/// output), so nothing writes to the pipeline from another thread and nothing deadlocks. An
/// <see cref="HpcException"/> thrown while processing one input becomes a non-terminating error with a category
/// from its kind.
/// </summary>
public abstract class HpcCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private BlockingCollection<Action>? _pending;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stop.Token;

    /// <inheritdoc/>
    protected sealed override void BeginProcessing() => Guard(Begin);

    /// <inheritdoc/>
    protected sealed override void ProcessRecord() => Guard(Process);

    /// <inheritdoc/>
    protected sealed override void EndProcessing() => Guard(End);

    /// <summary>Once, before the first input.</summary>
    protected virtual void Begin() { }

    protected virtual void Process() { }

    /// <summary>Once, after the last input.</summary>
    protected virtual void End() { }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>
    /// Runs <paramref name="work"/> off the pipeline thread and pumps the actions it <see cref="Post"/>s until it ends;
    /// returns its result or rethrows its exception (cancellation by Ctrl+C stops the pipeline).
    /// </summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        var queue = new BlockingCollection<Action>();
        var previous = _pending;
        _pending = queue;
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var token = _stop.Token;
        _ = Task.Run(async () =>
        {
            CallTrace.Sink = message => Post(() => WriteVerbose(message));
            try { result = await work(token).ConfigureAwait(false); }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
            finally { queue.CompleteAdding(); }
        }, CancellationToken.None);
        try
        {
            foreach (var action in queue.GetConsumingEnumerable()) action();
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C while the pipeline thread was writing progress or output for the work.
            _stop.Cancel();
            WriteResumeHint();
            throw;
        }
        catch
        {
            _stop.Cancel();
            throw;
        }
        finally
        {
            _pending = previous;
        }
        if (error is not null)
        {
            if (error.SourceException is OperationCanceledException && _stop.IsCancellationRequested)
            {
                WriteResumeHint();
                throw new PipelineStoppedException();
            }
            error.Throw();
        }
        return result;
    }

    /// <summary>Runs <paramref name="work"/> like <see cref="Run{T}"/> without a result.</summary>
    protected void Run(Func<CancellationToken, Task> work) =>
        Run<bool>(async ct => { await work(ct).ConfigureAwait(false); return true; });

    /// <summary>
    /// What to tell the user when Ctrl+C stops the command (e.g. the command that resumes it); written to the host,
    /// since the pipeline no longer takes output once it is stopping. Null: nothing.
    /// </summary>
    protected virtual string? ResumeHint => null;

    /// <summary>
    /// This command as a line to type again: its name and the parameters bound now (for piped input, the current item),
    /// values quoted for PowerShell; a session as the Get-HpcSession that finds it; common parameters left out.
    /// </summary>
    protected string CommandLine()
    {
        var parts = new List<string> { MyInvocation.MyCommand.Name };
        foreach (var (name, value) in MyInvocation.BoundParameters)
        {
            if (NotRepeated.Contains(name)) continue;
            var text = value switch
            {
                SwitchParameter sw => sw.IsPresent ? null : ":$false",
                Sessions.HpcSession session => $" (Get-HpcSession {Quote(session.Name)})",
                string str => " " + Quote(str),
                global::System.Collections.IEnumerable list => " " + string.Join(", ", list.Cast<object>().Select(o => Quote(o?.ToString() ?? ""))),
                _ => " " + Quote(value?.ToString() ?? ""),
            };
            parts.Add("-" + name + text);
        }
        return string.Join(' ', parts);
    }

    private static readonly HashSet<string> NotRepeated = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    private static string Quote(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    private bool _hintWritten;

    private void WriteResumeHint()
    {
        if (_hintWritten || ResumeHint is not { } hint) return;
        _hintWritten = true;
        Host?.UI?.WriteWarningLine(hint);
    }

    /// <summary>Queues <paramref name="action"/> to run on the pipeline thread (from inside <see cref="Run{T}"/>).</summary>
    protected void Post(Action action)
    {
        try { _pending?.Add(action); }
        catch (InvalidOperationException) { /* the work already ended */ }
    }

    /// <summary>Stops the command for bad arguments.</summary>
    protected void Fail(string message, string errorId, object? target = null, ErrorCategory category = ErrorCategory.InvalidArgument) =>
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), errorId, category, target ?? MyInvocation.MyCommand.Name));

    private void Guard(Action step)
    {
        try
        {
            step();
        }
        catch (HpcException e)
        {
            WriteHpcError(e, ErrorTarget);
        }
    }

    /// <summary>
    /// The items whose names match <paramref name="names"/> (wildcards; every item when null); a name without
    /// wildcards that matches nothing is an ObjectNotFound error naming it, as <c>Get-Item</c> does.
    /// </summary>
    protected IEnumerable<T> Matching<T>(IReadOnlyCollection<T> items, Func<T, string> nameOf, string[]? names, string noun, string? system)
    {
        if (names is null or { Length: 0 }) return items;
        foreach (var n in names)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(n) && !items.Any(i => string.Equals(nameOf(i), n, StringComparison.OrdinalIgnoreCase)))
                WriteError(ErrorRecords.NotFound(noun, n, system));
        }
        var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        return items.Where(i => patterns.Any(p => p.IsMatch(nameOf(i))));
    }

    /// <summary>What an error that escapes the command is about (e.g. the script being submitted); set as the command goes.</summary>
    protected object? ErrorTarget { get; set; }

    /// <summary>The system errors name; null when the command acts on none.</summary>
    protected virtual string? ErrorSystem => null;

    /// <summary>
    /// Writes <paramref name="e"/> as a non-terminating error about <paramref name="target"/> (the system, else the
    /// command's name, when null), its message a sentence naming the target.
    /// </summary>
    protected void WriteHpcError(HpcException e, object? target) =>
        WriteError(ErrorRecords.From(e, target ?? ErrorSystem ?? MyInvocation.MyCommand.Name, ErrorSystem, MyInvocation.MyCommand.Name));

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
