using System.Text.Json;
using System.Text.Json.Serialization;
using Firecrest.Core.Models;
using Firecrest.Server.Apis.Requests;
using Firecrest.Server.Auth;
using Firecrest.Server.Errors;
using Firecrest.Server.Hosting;
using Firecrest.Server.Hosting.Readiness;

namespace Firecrest.Server.Apis;

/// <summary>
/// Serialization code, generated at build time, for the bodies the server reads and writes: what the endpoints declare,
/// the error envelope and the values its <c>object</c> members hold. First in the server's JSON resolvers, so that no
/// request or answer needs reflection; a type missing here is read by reflection where the program allows it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OutputResponse<string>))]
[JsonSerializable(typeof(OutputResponse<RemoteFile>))]
[JsonSerializable(typeof(OutputResponse<IReadOnlyList<RemoteFile>>))]
[JsonSerializable(typeof(OutputResponse<FileContent>))]
[JsonSerializable(typeof(OutputResponse<FileStat>))]
[JsonSerializable(typeof(OutputResponse<FileChecksum>))]
[JsonSerializable(typeof(JobsResponse))]
[JsonSerializable(typeof(JobMetadataResponse))]
[JsonSerializable(typeof(SubmitJobResponse))]
[JsonSerializable(typeof(NodesResponse))]
[JsonSerializable(typeof(PartitionsResponse))]
[JsonSerializable(typeof(ReservationsResponse))]
[JsonSerializable(typeof(TransferJobResponse))]
[JsonSerializable(typeof(TransferFileResponse))]
[JsonSerializable(typeof(UserInfo))]
[JsonSerializable(typeof(Liveness))]
[JsonSerializable(typeof(ReadinessReport))]
[JsonSerializable(typeof(SystemsResponse))]
[JsonSerializable(typeof(S3View))]
[JsonSerializable(typeof(StreamerView))]
[JsonSerializable(typeof(WormholeView))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(ValidationErrorData))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(SubmitJobRequest))]
[JsonSerializable(typeof(AttachRequest))]
[JsonSerializable(typeof(MkdirRequest))]
[JsonSerializable(typeof(SymlinkRequest))]
[JsonSerializable(typeof(ChmodRequest))]
[JsonSerializable(typeof(ChownRequest))]
[JsonSerializable(typeof(CompressBody))]
[JsonSerializable(typeof(ExtractBody))]
[JsonSerializable(typeof(TransferFileRequest))]
[JsonSerializable(typeof(MoveCopyRequest))]
[JsonSerializable(typeof(McpAuthorization.ProtectedResourceMetadata))]
[JsonSerializable(typeof(McpAuthorization.JsonRpcErrorAnswer))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(OpenFgaAuthorizer.CheckRequest))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
