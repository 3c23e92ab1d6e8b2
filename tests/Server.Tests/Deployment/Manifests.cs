using Firecrest.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Firecrest.Server.Tests.Deployment;

/// <summary>The YAML documents under deploy/kubernetes, parsed with YamlDotNet, and small accessors over them.</summary>
internal static class Manifests
{
    public static string Folder => RepositoryRoot.Combine("deploy", "kubernetes");

    /// <summary>Every YAML file of the manifests (operator-provided secret files excluded).</summary>
    public static IReadOnlyList<string> Files() => Directory
        .EnumerateFiles(Folder, "*.*", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
        .Where(f => !Path.GetRelativePath(Folder, f).Split(Path.DirectorySeparatorChar).Contains("secrets"))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The documents of <paramref name="file"/>; throws when it is not well-formed YAML or a document is not a mapping.</summary>
    public static IReadOnlyList<YamlMappingNode> Load(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(file))) stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{file}: a document is not a mapping")).ToList();
    }

    /// <summary>Every Kubernetes object (not kustomization files) with the file it comes from.</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Doc)> Objects() =>
        Files().SelectMany(f => Load(f).Select(d => (f, d))).Where(x => Str(x.Item2, "kind") != "Kustomization").ToList();

    /// <summary>The kustomization files.</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Doc)> Kustomizations() =>
        Files().Where(f => Path.GetFileName(f) == "kustomization.yaml").Select(f => (f, Load(f).Single())).ToList();

    /// <summary>The object of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public static YamlMappingNode Object(string kind, string name) =>
        Objects().Single(o => Str(o.Doc, "kind") == kind && Str(o.Doc, "metadata", "name") == name).Doc;

    /// <summary>The node at <paramref name="path"/> (mapping keys), or null when a key is missing.</summary>
    public static YamlNode? At(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
        }
        return node;
    }

    /// <summary>The scalar at <paramref name="path"/>, or null.</summary>
    public static string? Str(YamlNode? node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    /// <summary>The items of the sequence at <paramref name="path"/> (empty when missing).</summary>
    public static IEnumerable<YamlNode> Seq(YamlNode? node, params string[] path) =>
        At(node, path) is YamlSequenceNode s ? s.Children : [];

    /// <summary>Every mapping below <paramref name="node"/>, itself included.</summary>
    public static IEnumerable<YamlMappingNode> Mappings(YamlNode node) => node switch
    {
        YamlMappingNode m => new[] { m }.Concat(m.Children.Values.SelectMany(Mappings)),
        YamlSequenceNode s => s.Children.SelectMany(Mappings),
        _ => [],
    };

    /// <summary>The container named <paramref name="name"/> of a workload's pod template.</summary>
    public static YamlMappingNode Container(YamlMappingNode workload, string name) =>
        Seq(workload, "spec", "template", "spec", "containers").Cast<YamlMappingNode>().Single(c => Str(c, "name") == name);

    /// <summary>A container port by number or by name.</summary>
    public static int Port(YamlMappingNode container, string portOrName) => int.TryParse(portOrName, out var n) ? n
        : int.Parse(Str(Seq(container, "ports").Single(p => Str(p, "name") == portOrName), "containerPort")!);
}
