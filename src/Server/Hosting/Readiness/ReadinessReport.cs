namespace Firecrest.Server.Hosting.Readiness;

/// <summary>The outcome of one readiness condition.</summary>
/// <param name="Name">The condition's name.</param>
/// <param name="Ready">True when the condition holds.</param>
/// <param name="Message">Why it holds or what is missing.</param>
public sealed record ReadinessCheck(string Name, bool Ready, string Message);

/// <summary>The body of <c>GET /status/readiness/</c> (200), also the <c>data</c> of its 503 error envelope.</summary>
/// <param name="Ready">True when every condition holds.</param>
/// <param name="Conditions">Every condition in evaluation order.</param>
public sealed record ReadinessReport(bool Ready, IReadOnlyList<ReadinessCheck> Conditions);
