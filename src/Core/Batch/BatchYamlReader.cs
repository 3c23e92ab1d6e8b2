using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Firecrest.Core.Batch;

/// <summary>Walks the YAML node tree of a run file, collecting every problem with its position.</summary>
internal sealed partial class BatchYamlReader(string file, string baseDirectory)
{
    private static readonly string[] TopKeys = ["system", "defaults", "jobs"];
    private static readonly string[] DefaultKeys = ["account", "partition", "workingDirectory", "env", "resources"];
    private static readonly string[] JobKeys =
        ["script", "scriptFile", "remoteScript", "resources", "account", "workingDirectory", "env", "inputs", "outputs", "dependsOn", "retries"];

    public List<BatchProblem> Problems { get; } = [];

    public BatchDefinition? Read(YamlStream stream, string? sourcePath)
    {
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            Add(at, "The run file must be a mapping with 'system' and 'jobs'.");
            return null;
        }
        CheckKeys(root, TopKeys, "top level");
        var system = Scalar(root, "system", required: true) ?? "";
        var defaults = ReadDefaults(Child(root, "defaults"));
        var jobsNode = Child(root, "jobs");
        var jobs = new List<BatchJobDefinition>();
        var dependsNodes = new Dictionary<string, YamlNode>();
        if (jobsNode is null) Add(root, "Missing 'jobs': a map of job name to {script, resources, dependsOn, …}.");
        else if (jobsNode is not YamlMappingNode jobsMap || jobsMap.Children.Count == 0)
            Add(jobsNode, "'jobs' must be a non-empty map of job name to job.");
        else
        {
            foreach (var (keyNode, value) in jobsMap.Children)
            {
                var name = ((YamlScalarNode)keyNode).Value ?? "";
                if (!JobName().IsMatch(name))
                    Add(keyNode, $"Job name '{name}' is not allowed: use letters, digits, '_', '-' or '.'.");
                var job = ReadJob(name, keyNode, value, defaults, out var dependsNode);
                if (job is not null) jobs.Add(job);
                if (dependsNode is not null) dependsNodes[name] = dependsNode;
            }
            CheckGraph(jobs, dependsNodes, jobsMap);
        }
        return new BatchDefinition
        {
            SourcePath = sourcePath,
            BaseDirectory = baseDirectory,
            System = system,
            Defaults = defaults,
            Jobs = jobs,
        };
    }

    private BatchDefaults ReadDefaults(YamlNode? node)
    {
        if (node is null) return new BatchDefaults();
        if (node is not YamlMappingNode map) { Add(node, "'defaults' must be a map."); return new BatchDefaults(); }
        CheckKeys(map, DefaultKeys, "defaults");
        var resources = ReadResources(Child(map, "resources"));
        var partition = Scalar(map, "partition");
        if (partition is not null) CheckToken(Child(map, "partition")!, "partition", partition);
        return new BatchDefaults
        {
            Account = TokenScalar(map, "account"),
            Partition = partition,
            WorkingDirectory = RemotePathScalar(map, "workingDirectory"),
            Env = ReadEnv(Child(map, "env")),
            Resources = resources,
        };
    }

    private BatchJobDefinition? ReadJob(string name, YamlNode keyNode, YamlNode node, BatchDefaults defaults, out YamlNode? dependsNode)
    {
        dependsNode = null;
        if (node is not YamlMappingNode map)
        {
            Add(node, $"Job '{name}' must be a map with a script (script, scriptFile or remoteScript).");
            return null;
        }
        CheckKeys(map, JobKeys, $"job '{name}'");
        var script = Scalar(map, "script");
        var scriptFile = Scalar(map, "scriptFile");
        var remoteScript = Scalar(map, "remoteScript");
        var given = new[] { script, scriptFile, remoteScript }.Count(s => s is not null);
        if (given == 0) Add(keyNode, $"Job '{name}' has no script: set 'script' (text), 'scriptFile' (a local file) or 'remoteScript' (a path on the cluster).");
        if (given > 1) Add(keyNode, $"Job '{name}' sets more than one of 'script', 'scriptFile' and 'remoteScript'; keep one.");
        if (script is not null && string.IsNullOrWhiteSpace(script)) Add(Child(map, "script"), $"The script of job '{name}' is empty.");
        string? scriptPath = null;
        if (scriptFile is not null)
        {
            scriptPath = Path.GetFullPath(Path.Combine(baseDirectory, scriptFile));
            if (!File.Exists(scriptPath)) Add(Child(map, "scriptFile"), $"Script file '{scriptFile}' of job '{name}' does not exist (looked for {scriptPath}).");
            else script = File.ReadAllText(scriptPath);
        }
        if (remoteScript is not null && !remoteScript.StartsWith('/')) Add(Child(map, "remoteScript"), $"'remoteScript' of job '{name}' must be an absolute path on the cluster.");

        var workDir = RemotePathScalar(map, "workingDirectory") ?? defaults.WorkingDirectory;
        if (workDir is null) Add(keyNode, $"Job '{name}' has no working directory: set 'workingDirectory' in 'defaults' or in the job.");
        var resources = ReadResources(Child(map, "resources")).Over(defaults.Resources);
        if (resources.Partition is null && defaults.Partition is not null) resources = resources with { Partition = defaults.Partition };
        var env = new Dictionary<string, string>(defaults.Env);
        foreach (var (k, v) in ReadEnv(Child(map, "env"))) env[k] = v;

        var retries = 0;
        if (Child(map, "retries") is { } retriesNode)
        {
            if (retriesNode is not YamlScalarNode rs || !int.TryParse(rs.Value, NumberStyles.None, CultureInfo.InvariantCulture, out retries) || retries > 10)
            {
                Add(retriesNode, $"'retries' of job '{name}' must be a whole number from 0 to 10.");
                retries = 0;
            }
        }

        var depends = new List<string>();
        dependsNode = Child(map, "dependsOn");
        if (dependsNode is YamlScalarNode one && !string.IsNullOrEmpty(one.Value)) depends.Add(one.Value);
        else if (dependsNode is YamlSequenceNode many)
        {
            foreach (var item in many.Children)
            {
                if (item is YamlScalarNode s && !string.IsNullOrEmpty(s.Value)) depends.Add(s.Value);
                else Add(item, $"Each entry of 'dependsOn' of job '{name}' must be a job name.");
            }
        }
        else if (dependsNode is not null) Add(dependsNode, $"'dependsOn' of job '{name}' must be a job name or a list of job names.");

        var wd = workDir ?? "/";
        return new BatchJobDefinition
        {
            Name = name,
            Script = script,
            ScriptFile = scriptPath,
            RemoteScript = remoteScript,
            Resources = resources,
            Account = TokenScalar(map, "account") ?? defaults.Account,
            WorkingDirectory = wd,
            Env = env,
            Inputs = ReadMappings(Child(map, "inputs"), name, "inputs", wd, localIsKey: true),
            Outputs = ReadMappings(Child(map, "outputs"), name, "outputs", wd, localIsKey: false),
            DependsOn = depends,
            Retries = retries,
        };
    }

    private List<BatchFileMapping> ReadMappings(YamlNode? node, string job, string key, string workDir, bool localIsKey)
    {
        var list = new List<BatchFileMapping>();
        if (node is null) return list;
        if (node is not YamlMappingNode map)
        {
            Add(node, localIsKey
                ? $"'inputs' of job '{job}' must be a map of local path → remote path."
                : $"'outputs' of job '{job}' must be a map of remote path → local path.");
            return list;
        }
        foreach (var (k, v) in map.Children)
        {
            var from = (k as YamlScalarNode)?.Value;
            var to = (v as YamlScalarNode)?.Value;
            if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to)) { Add(k, $"Each entry of '{key}' of job '{job}' needs a path on both sides."); continue; }
            var local = Path.GetFullPath(Path.Combine(baseDirectory, localIsKey ? from : to));
            var remote = RemotePath(workDir, localIsKey ? to : from);
            if (remote.Contains('\n') || remote.Contains('\0')) { Add(localIsKey ? v : k, $"Remote path of '{key}' of job '{job}' contains a control character."); continue; }
            if (localIsKey && !File.Exists(local)) { Add(k, $"Input file '{from}' of job '{job}' does not exist (looked for {local})."); continue; }
            list.Add(new BatchFileMapping(local, remote));
        }
        return list;
    }

    private BatchResources ReadResources(YamlNode? node)
    {
        if (node is null) return new BatchResources();
        if (node is not YamlMappingNode map) { Add(node, "'resources' must be a map (nodes, tasks, time, partition, …)."); return new BatchResources(); }
        var r = new BatchResources();
        foreach (var (k, v) in map.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? "";
            var text = (v as YamlScalarNode)?.Value;
            switch (key)
            {
                case "nodes": r = r with { Nodes = Positive(v, key) }; break;
                case "tasks" or "ntasks": r = r with { Tasks = Positive(v, key) }; break;
                case "tasksPerNode": r = r with { TasksPerNode = Positive(v, key) }; break;
                case "cpusPerTask": r = r with { CpusPerTask = Positive(v, key) }; break;
                case "time":
                    if (text is null || !TimeLimit().IsMatch(text)) Add(v, $"Resource 'time' is '{text}': use minutes (30), MM:SS, HH:MM:SS or D-HH:MM:SS.");
                    else r = r with { Time = text };
                    break;
                case "memory" or "mem":
                    if (text is null || !Memory().IsMatch(text)) Add(v, $"Resource '{key}' is '{text}': use a size such as 500M, 4G or 1T.");
                    else r = r with { Memory = text };
                    break;
                case "partition": r = r with { Partition = Token(v, key, text) }; break;
                case "gres": r = r with { Gres = Token(v, key, text) }; break;
                case "constraint": r = r with { Constraint = Token(v, key, text) }; break;
                case "qos": r = r with { Qos = Token(v, key, text) }; break;
                case "extra":
                    var items = v is YamlSequenceNode seq ? seq.Children : [v];
                    var extra = new List<string>();
                    foreach (var item in items)
                    {
                        var s = (item as YamlScalarNode)?.Value;
                        if (s is null || !s.StartsWith('-') || s.Any(char.IsControl)) Add(item, "Each 'extra' resource must be one scheduler option starting with '-', e.g. --exclusive.");
                        else extra.Add(s);
                    }
                    r = r with { Extra = extra };
                    break;
                default:
                    Add(k, $"Unknown resource '{key}': use nodes, tasks, tasksPerNode, cpusPerTask, time, memory, partition, gres, constraint, qos or extra.");
                    break;
            }
        }
        return r;
    }

    private int? Positive(YamlNode node, string key)
    {
        if (node is YamlScalarNode s && int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        Add(node, $"Resource '{key}' is '{(node as YamlScalarNode)?.Value}': it must be a whole number greater than 0.");
        return null;
    }

    private string? Token(YamlNode node, string key, string? text)
    {
        if (text is not null && CheckToken(node, key, text)) return text;
        if (text is null) Add(node, $"Resource '{key}' must be a single value.");
        return null;
    }

    private bool CheckToken(YamlNode node, string key, string text)
    {
        if (SafeToken().IsMatch(text)) return true;
        Add(node, $"'{key}' is '{text}': only letters, digits and _ . : , = + - / are allowed.");
        return false;
    }

    private Dictionary<string, string> ReadEnv(YamlNode? node)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null) return env;
        if (node is not YamlMappingNode map) { Add(node, "'env' must be a map of variable name to value."); return env; }
        foreach (var (k, v) in map.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? "";
            if (!EnvName().IsMatch(key)) { Add(k, $"'{key}' is not a valid environment variable name."); continue; }
            if (v is not YamlScalarNode s) { Add(v, $"The value of environment variable '{key}' must be text."); continue; }
            env[key] = s.Value ?? "";
        }
        return env;
    }

    private void CheckGraph(List<BatchJobDefinition> jobs, Dictionary<string, YamlNode> dependsNodes, YamlMappingNode jobsMap)
    {
        var names = jobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        var known = new List<BatchJobDefinition>();
        foreach (var job in jobs)
        {
            var bad = false;
            foreach (var dep in job.DependsOn)
            {
                if (names.Contains(dep) && dep != job.Name) continue;
                bad = true;
                var at = dependsNodes.GetValueOrDefault(job.Name);
                var exact = at is YamlSequenceNode seq ? seq.Children.FirstOrDefault(c => (c as YamlScalarNode)?.Value == dep) ?? at : at;
                Add(exact, dep == job.Name
                    ? $"Job '{job.Name}' depends on itself."
                    : $"Job '{job.Name}' depends on unknown job '{dep}' (jobs: {string.Join(", ", names)}).");
            }
            if (!bad) known.Add(job);
        }
        var cycle = BatchGraph.FindCycle(known);
        if (cycle is not null)
        {
            var first = cycle[0];
            Add(dependsNodes.GetValueOrDefault(first) ?? jobsMap, $"Dependency cycle: {string.Join(" → ", cycle)}.");
        }
    }

    private void CheckKeys(YamlMappingNode map, string[] allowed, string where)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name is null || !allowed.Contains(name))
                Add(key, $"Unknown key '{name}' in {where}: expected one of {string.Join(", ", allowed)}.");
        }
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private string? Scalar(YamlMappingNode map, string key, bool required = false)
    {
        var node = Child(map, key);
        if (node is null)
        {
            if (required) Add(map, $"Missing '{key}'.");
            return null;
        }
        if (node is YamlScalarNode s && !string.IsNullOrEmpty(s.Value)) return s.Value;
        Add(node, $"'{key}' must be a non-empty text value.");
        return null;
    }

    private string? TokenScalar(YamlMappingNode map, string key)
    {
        var value = Scalar(map, key);
        return value is not null && CheckToken(Child(map, key)!, key, value) ? value : null;
    }

    private string? RemotePathScalar(YamlMappingNode map, string key)
    {
        var value = Scalar(map, key);
        if (value is null) return null;
        if (!value.StartsWith('/') || value.Any(char.IsControl))
        {
            Add(Child(map, key), $"'{key}' must be an absolute path on the cluster, e.g. /scratch/<user>/run.");
            return null;
        }
        return value.Length > 1 ? value.TrimEnd('/') : value;
    }

    private static string RemotePath(string workDir, string path) =>
        path.StartsWith('/') ? path : workDir.TrimEnd('/') + "/" + path;

    private void Add(YamlNode? node, string message)
    {
        var line = node is null ? 1 : (int)node.Start.Line;
        var column = node is null ? 1 : (int)node.Start.Column;
        Problems.Add(new BatchProblem(file, line, column, message));
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+\z")]
    private static partial Regex JobName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"^[A-Za-z0-9_.:,=+/-]+\z")]
    private static partial Regex SafeToken();

    [GeneratedRegex(@"^[0-9]+[KMGT]?B?\z", RegexOptions.IgnoreCase)]
    private static partial Regex Memory();

    [GeneratedRegex(@"^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}(:\d{1,2}(:\d{1,2})?)?)\z")]
    private static partial Regex TimeLimit();
}
