namespace Firecrest.Server.Hosting.Readiness;

/// <summary>Evaluates the built-in and the registered readiness conditions.</summary>
public static class ReadinessEvaluator
{
    /// <summary>Longest wait for one condition; orchestrator probes time out after a few seconds.</summary>
    public static readonly TimeSpan ConditionTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs <paramref name="conditions"/> in parallel, each under <see cref="ConditionTimeout"/> on
    /// <paramref name="time"/>. A condition that throws or times out is reported as not ready with the reason.
    /// </summary>
    public static async Task<ReadinessReport> EvaluateAsync(IEnumerable<IReadinessCondition> conditions, TimeProvider time, CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(conditions.Select(c => CheckOneAsync(c, time, cancellationToken)));
        return new ReadinessReport(checks.All(c => c.Ready), checks);
    }

    private static async Task<ReadinessCheck> CheckOneAsync(IReadinessCondition condition, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(ConditionTimeout, time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await condition.CheckAsync(cts.Token).AsTask().WaitAsync(cts.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is TimeoutException or OperationCanceledException
                ? $"no answer within {ConditionTimeout.TotalSeconds:0.#} s"
                : $"{e.GetType().Name}: {e.Message}";
            return new ReadinessCheck(condition.Name, false, reason);
        }
    }
}
