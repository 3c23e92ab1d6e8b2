using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Firecrest.Core;
using Firecrest.Core.Operations;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>
/// Where the calls a cmdlet makes are traced (-Verbose): the running cmdlet sets <see cref="Sink"/> for the work it
/// runs (<see cref="HpcCmdlet"/>), and the seams below write one line per call to it: the HTTP handler of remote
/// sessions (method, route, status, duration) and the operations wrapper of direct sessions (operation, arguments,
/// duration).
/// </summary>
internal static class CallTrace
{
    private static readonly AsyncLocal<Action<string>?> Current = new();

    /// <summary>The trace writer of the work running on this logical call path; null when nobody listens.</summary>
    public static Action<string>? Sink
    {
        get => Current.Value;
        set => Current.Value = value;
    }

    /// <summary>A duration as the trace shows it.</summary>
    public static string Duration(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0} ms");

    /// <summary>Wraps the operations of a direct session so that each call is traced.</summary>
    public static IHpcOperations Traced(IHpcOperations inner) => new TracedOperations(inner);

    private sealed class TracedOperations(IHpcOperations inner) : IHpcOperations
    {
        public IStatusOperations Status { get; } = OperationTracer<IStatusOperations>.Wrap(inner.Status, "Status");
        public IComputeOperations Compute { get; } = OperationTracer<IComputeOperations>.Wrap(inner.Compute, "Compute");
        public IFilesystemOperations Files { get; } = OperationTracer<IFilesystemOperations>.Wrap(inner.Files, "Files");
        public ITransferOperations Transfers { get; } = OperationTracer<ITransferOperations>.Wrap(inner.Transfers, "Transfers");
    }
}

/// <summary>A proxy of one operations interface that writes each call, its arguments and its duration to <see cref="CallTrace.Sink"/>.</summary>
public class OperationTracer<T> : DispatchProxy where T : class
{
    private T _inner = null!;
    private string _area = "";

    internal static T Wrap(T inner, string area)
    {
        var proxy = Create<T, OperationTracer<T>>();
        var tracer = (OperationTracer<T>)(object)proxy;
        tracer._inner = inner;
        tracer._area = area;
        return proxy;
    }

    /// <inheritdoc/>
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var sink = CallTrace.Sink;
        var clock = Stopwatch.StartNew();
        object? result;
        try
        {
            result = targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        if (sink is not null && result is Task task)
        {
            var call = $"{_area}.{targetMethod.Name.Replace("Async", "", StringComparison.Ordinal)}({Arguments(args)})";
            task.ContinueWith(t => sink($"{call} {Outcome(t)} in {CallTrace.Duration(clock.Elapsed)}"),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return result;
    }

    private static string Arguments(object?[]? args) =>
        string.Join(", ", (args ?? []).Where(a => a is not null and not CancellationToken and not Stream).Select(a => Shorten(Convert.ToString(a, CultureInfo.InvariantCulture) ?? "")));

    private static string Shorten(string text) => text.Length > 60 ? text[..57] + "..." : text;

    private static string Outcome(Task t) => t.Status switch
    {
        TaskStatus.RanToCompletion => "done",
        TaskStatus.Canceled => "cancelled",
        _ => t.Exception?.InnerException is HpcException h ? $"failed ({h.Kind})" : "failed",
    };
}

/// <summary>The HTTP handler of remote sessions that writes each request, its answer and its duration to <see cref="CallTrace.Sink"/>.</summary>
internal sealed class TracingHandler : DelegatingHandler
{
    public TracingHandler() : base(new SocketsHttpHandler()) { }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sink = CallTrace.Sink;
        if (sink is null) return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var route = $"{request.Method} {request.RequestUri?.PathAndQuery}";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            sink($"{route} -> {(int)response.StatusCode} {response.ReasonPhrase} in {CallTrace.Duration(clock.Elapsed)}");
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            sink($"{route} -> {e.GetType().Name} in {CallTrace.Duration(clock.Elapsed)}");
            throw;
        }
    }
}
