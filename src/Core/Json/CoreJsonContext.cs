using System.Text.Json.Serialization;
using Firecrest.Core.Batch;
using Firecrest.Core.Client;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh.Credentials;

namespace Firecrest.Core.Json;

/// <summary>
/// Serialization code, generated at build time, for every type the engine and the client read or write as JSON, so that
/// neither needs reflection (a trimmed or natively compiled program has none to spare). Its own options are the
/// serializer's defaults (member names as declared); <see cref="FirecrestJson.Options"/> uses it with the wire settings.
/// The client, batch reports and transfer state files use this metadata alone, so their tests fail on a type missing here.
/// </summary>
[JsonSerializable(typeof(BatchReport))]
[JsonSerializable(typeof(BatchStateFile.JobFingerprint))]
[JsonSerializable(typeof(StreamerCoordinates))]
[JsonSerializable(typeof(UploadState))]
[JsonSerializable(typeof(DownloadState))]
[JsonSerializable(typeof(SshKeyServiceCredentialProvider.KeyRequest))]
[JsonSerializable(typeof(SshKeyServiceCredentialProvider.KeyResponse))]
[JsonSerializable(typeof(RemoteCaCredentialProvider.SignRequest))]
[JsonSerializable(typeof(UserInfo))]
[JsonSerializable(typeof(WireEnvelopes.SystemsAnswer))]
[JsonSerializable(typeof(WireEnvelopes.NodesAnswer))]
[JsonSerializable(typeof(WireEnvelopes.PartitionsAnswer))]
[JsonSerializable(typeof(WireEnvelopes.ReservationsAnswer))]
[JsonSerializable(typeof(WireEnvelopes.JobsAnswer))]
[JsonSerializable(typeof(WireEnvelopes.JobMetadatas))]
[JsonSerializable(typeof(WireEnvelopes.Submitted))]
[JsonSerializable(typeof(WireEnvelopes.TransferJobAnswer))]
[JsonSerializable(typeof(WireEnvelopes.OutputOf<List<RemoteFile>>))]
[JsonSerializable(typeof(WireEnvelopes.OutputOf<RemoteFile>))]
[JsonSerializable(typeof(WireEnvelopes.OutputOf<FileContent>))]
[JsonSerializable(typeof(WireEnvelopes.OutputOf<FileChecksum>))]
[JsonSerializable(typeof(WireEnvelopes.OutputOf<FileStat>))]
[JsonSerializable(typeof(WireEnvelopes.OutputOf<string>))]
[JsonSerializable(typeof(TransferDirectives))]
[JsonSerializable(typeof(TransferJob))]
[JsonSerializable(typeof(TransferResponse))]
[JsonSerializable(typeof(RequestBodies.Submit))]
[JsonSerializable(typeof(RequestBodies.Attach))]
[JsonSerializable(typeof(RequestBodies.Mkdir))]
[JsonSerializable(typeof(RequestBodies.Symlink))]
[JsonSerializable(typeof(RequestBodies.Chmod))]
[JsonSerializable(typeof(RequestBodies.Chown))]
[JsonSerializable(typeof(RequestBodies.TransferStart))]
[JsonSerializable(typeof(RequestBodies.Move))]
[JsonSerializable(typeof(RequestBodies.Copy))]
[JsonSerializable(typeof(RequestBodies.Compress))]
[JsonSerializable(typeof(RequestBodies.Extract))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
