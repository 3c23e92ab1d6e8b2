using Firecrest.Core.Configuration;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Schedulers;

namespace Firecrest.Core.Engine;

/// <summary>The parts of the engine that serve one system.</summary>
/// <param name="Settings">The system's configuration.</param>
/// <param name="Scheduler">Its scheduler adapter.</param>
/// <param name="Files">Its file operations over SSH.</param>
/// <param name="Transfers">Its data mover (transfer jobs, S3).</param>
public sealed record HpcSystemContext(ClusterSettings Settings, IScheduler Scheduler, RemoteFileSystem Files, TransferService Transfers);
