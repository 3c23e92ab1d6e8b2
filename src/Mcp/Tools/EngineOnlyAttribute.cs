namespace Firecrest.Mcp.Tools;

/// <summary>
/// Marks a tool built on scheduler features outside the FirecREST v2 API (<see cref="Core.Operations.ISchedulerOperations"/>):
/// it is registered only when <see cref="McpToolOptions.EngineFeatures"/> is on, so hosts in remote mode never see a tool that always fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class EngineOnlyAttribute : Attribute;
