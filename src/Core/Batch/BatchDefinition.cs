namespace Firecrest.Core.Batch;

/// <summary>A parsed and validated run file: the system, defaults and the jobs in file order.</summary>
public sealed class BatchDefinition
{
    /// <summary>Path of the run file, or null when the YAML came as text.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Directory that relative local paths (scriptFile, inputs, outputs) are resolved against.</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Name of the HPC system (cluster) to run on.</summary>
    public string System { get; init; } = "";

    /// <summary>Values every job inherits unless it sets its own.</summary>
    public BatchDefaults Defaults { get; init; } = new();

    /// <summary>Jobs in the order they appear in the file.</summary>
    public IReadOnlyList<BatchJobDefinition> Jobs { get; init; } = [];

    /// <summary>The job called <paramref name="name"/>; throws when unknown.</summary>
    public BatchJobDefinition this[string name] =>
        Jobs.FirstOrDefault(j => j.Name == name) ?? throw new KeyNotFoundException($"No job named '{name}'.");
}

/// <summary>The <c>defaults:</c> section.</summary>
public sealed class BatchDefaults
{
    public string? Account { get; init; }

    /// <summary>Partition (Slurm) or queue (PBS).</summary>
    public string? Partition { get; init; }

    /// <summary>Remote working directory of every job (relative remote paths are resolved against it).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment variables of every job.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Resources every job inherits (a job's own resources override them one by one).</summary>
    public BatchResources Resources { get; init; } = new();
}

/// <summary>One entry of <c>jobs:</c>.</summary>
public sealed class BatchJobDefinition
{
    /// <summary>Job name (its key in <c>jobs:</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>Inline script text (<c>script:</c>), or the text read from <c>scriptFile:</c>.</summary>
    public string? Script { get; init; }

    /// <summary>Absolute local path of <c>scriptFile:</c>, when the script came from a local file.</summary>
    public string? ScriptFile { get; init; }

    /// <summary>Path of a script already on the cluster (<c>remoteScript:</c>).</summary>
    public string? RemoteScript { get; init; }

    /// <summary>Resources after merging the defaults.</summary>
    public BatchResources Resources { get; init; } = new();

    /// <summary>Account after merging the defaults.</summary>
    public string? Account { get; init; }

    /// <summary>Remote working directory after merging the defaults.</summary>
    public string WorkingDirectory { get; init; } = "";

    /// <summary>Environment after merging the defaults (job values win).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Files to upload before submission: absolute local path → absolute remote path.</summary>
    public IReadOnlyList<BatchFileMapping> Inputs { get; init; } = [];

    /// <summary>Files to download after success: absolute remote path → absolute local path.</summary>
    public IReadOnlyList<BatchFileMapping> Outputs { get; init; } = [];

    /// <summary>Names of the jobs that must complete first.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>How many times a failed job is submitted again (0: never).</summary>
    public int Retries { get; init; }
}

/// <summary>A file to move: <paramref name="Local"/> and <paramref name="Remote"/> are absolute.</summary>
/// <param name="Local">Local path.</param>
/// <param name="Remote">Remote path on the system.</param>
public sealed record BatchFileMapping(string Local, string Remote);

/// <summary>Scheduler resources of a job; null means "not asked for".</summary>
public sealed record BatchResources
{
    public int? Nodes { get; init; }

    /// <summary>Number of tasks (MPI ranks).</summary>
    public int? Tasks { get; init; }

    public int? TasksPerNode { get; init; }

    public int? CpusPerTask { get; init; }

    /// <summary>Time limit as the user wrote it (minutes, <c>MM:SS</c>, <c>HH:MM:SS</c> or <c>D-HH:MM:SS</c>).</summary>
    public string? Time { get; init; }

    public string? Partition { get; init; }

    /// <summary>Memory per node, e.g. <c>4G</c> or <c>500M</c>.</summary>
    public string? Memory { get; init; }

    /// <summary>Generic resources, e.g. <c>gpu:1</c>.</summary>
    public string? Gres { get; init; }

    /// <summary>Node features (Slurm <c>--constraint</c>).</summary>
    public string? Constraint { get; init; }

    public string? Qos { get; init; }

    /// <summary>Extra directive arguments written as they are, e.g. <c>--exclusive</c>.</summary>
    public IReadOnlyList<string> Extra { get; init; } = [];

    /// <summary>These resources with every unset value taken from <paramref name="defaults"/>.</summary>
    public BatchResources Over(BatchResources defaults) => new()
    {
        Nodes = Nodes ?? defaults.Nodes,
        Tasks = Tasks ?? defaults.Tasks,
        TasksPerNode = TasksPerNode ?? defaults.TasksPerNode,
        CpusPerTask = CpusPerTask ?? defaults.CpusPerTask,
        Time = Time ?? defaults.Time,
        Partition = Partition ?? defaults.Partition,
        Memory = Memory ?? defaults.Memory,
        Gres = Gres ?? defaults.Gres,
        Constraint = Constraint ?? defaults.Constraint,
        Qos = Qos ?? defaults.Qos,
        Extra = [.. defaults.Extra, .. Extra],
    };
}
