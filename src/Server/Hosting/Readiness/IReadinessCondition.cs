namespace Firecrest.Server.Hosting.Readiness;

/// <summary>
/// One condition of <c>GET /status/readiness/</c>. The configuration and health-checker conditions are built in;
/// a feature that the server cannot serve without (e.g. a shared-state store once replicas share one) registers
/// its own as a singleton <c>IReadinessCondition</c>, and readiness then fails while it does.
/// </summary>
public interface IReadinessCondition
{
    /// <summary>Short name shown in the readiness answer, e.g. <c>configuration</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Evaluates the condition. Called on every readiness request, so it should be cheap; the caller cancels it
    /// after <see cref="ReadinessEvaluator.ConditionTimeout"/> and counts a throw or a timeout as not ready.
    /// </summary>
    ValueTask<ReadinessCheck> CheckAsync(CancellationToken cancellationToken);
}
