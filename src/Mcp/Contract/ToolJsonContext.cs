using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Firecrest.Core.Batch;
using Firecrest.Core.Models;
using Firecrest.Mcp.Tools;

namespace Firecrest.Mcp.Contract;

/// <summary>
/// Serialization code, generated at build time, for the tools' answers (their output schemas and structured content)
/// and for the arguments they take that the engine's metadata does not cover. <see cref="ToolSchemas.SerializerOptions"/>
/// uses it before the engine's; a tool whose parameter or answer type is missing fails when the tools are created.
/// </summary>
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(IDictionary<string, JsonElement>))]
[JsonSerializable(typeof(ListResult<SystemsTools.SystemSummary>))]
[JsonSerializable(typeof(ListResult<PartitionDetails>))]
[JsonSerializable(typeof(ListResult<RemoteFile>))]
[JsonSerializable(typeof(SystemsTools.SystemStatus))]
[JsonSerializable(typeof(NodesTools.NodeList))]
[JsonSerializable(typeof(FilesTools.FileText))]
[JsonSerializable(typeof(FilesTools.PathChange))]
[JsonSerializable(typeof(FilesTools.PathChecksum))]
[JsonSerializable(typeof(JobsTools.SubmittedJob))]
[JsonSerializable(typeof(JobsTools.CancelledJob))]
[JsonSerializable(typeof(JobsTools.JobList))]
[JsonSerializable(typeof(JobsTools.JobDetails))]
[JsonSerializable(typeof(JobsTools.JobOutput))]
[JsonSerializable(typeof(JobsTools.WaitResult))]
[JsonSerializable(typeof(JobControlTools.HoldResult))]
[JsonSerializable(typeof(JobControlTools.JobDescriptionView))]
[JsonSerializable(typeof(JobArrayTools.SubmittedArray))]
[JsonSerializable(typeof(JobArrayTools.ArrayTasks))]
[JsonSerializable(typeof(CommandTools.CommandResult))]
[JsonSerializable(typeof(BatchTools.BatchStarted))]
[JsonSerializable(typeof(BatchRunStatus))]
[JsonSerializable(typeof(TransfersTools.FileTransfer))]
internal sealed partial class ToolJsonContext : JsonSerializerContext;
