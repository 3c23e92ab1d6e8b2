using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Firecrest.Core.Json;
using Firecrest.Core.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Firecrest.Core.Configuration;

/// <summary>
/// Maps a parsed YAML node tree onto <see cref="FirecrestSettings"/> the way the upstream pydantic models read it:
/// snake_case keys everywhere, camelCase too in sections that are CamelModels, <c>secret_file:</c> values, the
/// <c>clusters: "path:/dir"</c> form, discriminated sections and the probing aliases. Unknown keys become warnings
/// (one per key, with its path); values of the wrong shape become errors. Records which keys were present so the
/// validator can tell "missing" from "default".
/// </summary>
[UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Every type the mapper reaches is kept by SettingsTypes; a test checks the list.")]
[UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Every type the mapper reaches is kept by SettingsTypes; a test checks the list.")]
[UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Every type the mapper reaches is kept by SettingsTypes; a test checks the list.")]
internal sealed class YamlSettingsMapper
{
    private const string SecretFilePrefix = "secret_file:";
    private const string ClusterDirPrefix = "path:";

    // probing.services keys: the wire names of the probed services, and the names older configurations used.
    private static readonly Dictionary<string, HealthServiceType> ProbeServiceKeys = ProbeKeys();
    private static readonly string[] ProbeKinds =
        WireNames.Members(typeof(HealthServiceType)).Where(m => !m.Value.Equals(HealthServiceType.Exception)).Select(m => m.Name).ToArray();

    private static readonly object Invalid = new();
    private readonly NullabilityInfoContext _nullability = new();

    /// <summary>Unknown or unsupported keys, one entry each.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Values that could not be read.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Canonical (snake_case) paths of every key that was present, e.g. <c>clusters[0].ssh.port</c>.</summary>
    public HashSet<string> Present { get; } = new(StringComparer.Ordinal);

    /// <summary>Path label of each loaded cluster (<c>clusters[0]</c>, or <c>clusters[file.yaml]</c> for a cluster directory).</summary>
    public List<string> ClusterPaths { get; } = [];

    /// <summary>Parses YAML text; a syntax error becomes a <see cref="ConfigurationException"/> with line and column.</summary>
    public static YamlNode? Parse(string text, string source)
    {
        try
        {
            var stream = new YamlStream();
            using var reader = new StringReader(text);
            stream.Load(reader);
            return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            throw new ConfigurationException([$"{source}: YAML syntax error at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}"], source, e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some malformed streams (e.g. an unclosed flow sequence) this way, without a position.
            throw new ConfigurationException([$"{source}: YAML syntax error: {e.Message}"], source, e);
        }
    }

    /// <summary>Maps the root mapping of the configuration.</summary>
    public FirecrestSettings Map(YamlNode? root)
    {
        SettingsTypes.Keep();
        var settings = new FirecrestSettings();
        if (root is null || IsNull(root))
        {
            Errors.Add("the configuration is empty");
            return settings;
        }
        if (root is not YamlMappingNode map)
        {
            Errors.Add($"the configuration must be a mapping of keys, not a {Kind(root)}");
            return settings;
        }
        MapObject(map, settings, "");
        return settings;
    }

    /// <summary>Maps one section of type <paramref name="type"/> on its own, as if found at <paramref name="path"/>.</summary>
    internal object? MapSection(YamlNode node, Type type, string path) => MapValue(node, type, path, null);

    private void MapObject(YamlMappingNode node, object target, string path)
    {
        var table = SettingsKeyTable.For(target.GetType());
        var variant = table.Discriminator is { } disc ? MapDiscriminator(node, target, disc, table, path) : null;
        foreach (var (keyNode, valueNode) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Errors.Add($"{Join(path, "?")}: keys must be plain strings (line {keyNode.Start.Line})");
                continue;
            }
            var keyPath = Join(path, key);
            if (!table.ByName.TryGetValue(key, out var entry))
            {
                Warnings.Add(table.SnakeCaseOnly && table.ByName.ContainsKey(ConfigKeyNames.ToSnake(key))
                    ? $"{keyPath}: this section accepts snake_case keys only (write '{ConfigKeyNames.ToSnake(key)}'), ignored"
                    : $"{keyPath}: unknown key, ignored");
                continue;
            }
            if (entry == table.Discriminator) continue;
            if (variant is not null && entry.UsedWhen is { } usedWhen && !usedWhen.Contains(variant))
            {
                Warnings.Add($"{keyPath}: not used when {table.Discriminator!.Snake} is '{WireNames.Of(variant)}', ignored");
                continue;
            }
            var prop = entry.Property;
            var canonical = Join(path, entry.Snake);
            Present.Add(canonical);
            if (target is FirecrestSettings root && prop.Name == nameof(FirecrestSettings.Clusters))
            {
                MapClusters(valueNode, root);
                continue;
            }
            var value = MapValue(valueNode, prop.PropertyType, canonical, prop);
            if (ReferenceEquals(value, Invalid)) continue;
            if (value is string s && entry.SecretFile) value = ResolveSecret(s, canonical);
            prop.SetValue(target, value);
        }
    }

    /// <summary>Maps the discriminator of a section first; its value (null when missing or invalid) selects the keys used.</summary>
    private Enum? MapDiscriminator(YamlMappingNode node, object target, SettingsKey disc, SettingsKeyTable table, string path)
    {
        var canonical = Join(path, disc.Snake);
        var valueNode = node.Children.FirstOrDefault(kv =>
            kv.Key is YamlScalarNode { Value: { } k } && table.ByName.GetValueOrDefault(k) == disc).Value;
        if (valueNode is not YamlScalarNode { Value.Length: > 0 } || IsNull(valueNode))
        {
            Errors.Add($"{canonical} is required ({string.Join(", ", WireNames.Names(disc.Property.PropertyType))})");
            return null;
        }
        Present.Add(canonical);
        if (MapScalar(valueNode, disc.Property.PropertyType, canonical) is not Enum variant) return null;
        disc.Property.SetValue(target, variant);
        return variant;
    }

    private object MapProbeServices(YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
        {
            Errors.Add($"{path} must be a mapping of service kinds ({string.Join(", ", ProbeKinds)}), not a {Kind(node)}");
            return Invalid;
        }
        var services = new Dictionary<HealthServiceType, ProbeSettings>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "?";
            if (!ProbeServiceKeys.TryGetValue(key, out var kind))
            {
                Warnings.Add($"{Join(path, key)}: unknown service kind (expected {string.Join(", ", ProbeKinds[..^1])} or {ProbeKinds[^1]}), ignored");
                continue;
            }
            var canonical = Join(path, WireNames.Of(kind));
            Present.Add(canonical);
            if (MapValue(valueNode, typeof(ProbeSettings), canonical, null) is ProbeSettings probe) services[kind] = probe;
        }
        return services;
    }

    private static Dictionary<string, HealthServiceType> ProbeKeys()
    {
        var keys = new Dictionary<string, HealthServiceType>(StringComparer.Ordinal)
        {
            ["filesystems"] = HealthServiceType.Filesystem,
            ["storage"] = HealthServiceType.S3,
        };
        foreach (var (value, name) in WireNames.Members(typeof(HealthServiceType)))
            if (!value.Equals(HealthServiceType.Exception)) keys[name] = (HealthServiceType)value;
        return keys;
    }

    private void MapClusters(YamlNode node, FirecrestSettings settings)
    {
        if (node is YamlScalarNode { Value: { } text } && text.StartsWith(ClusterDirPrefix, StringComparison.Ordinal))
        {
            MapClusterDirectory(text[ClusterDirPrefix.Length..].Trim(), settings);
            return;
        }
        if (IsNull(node)) return;
        if (node is not YamlSequenceNode seq)
        {
            Errors.Add($"clusters must be a list of clusters or \"path:/dir\", not a {Kind(node)}");
            return;
        }
        for (var i = 0; i < seq.Children.Count; i++) AddCluster(seq.Children[i], $"clusters[{i}]", settings);
    }

    private void MapClusterDirectory(string dir, FirecrestSettings settings)
    {
        if (!Directory.Exists(dir))
        {
            Errors.Add($"clusters: directory '{dir}' (from \"path:\") does not exist");
            return;
        }
        var files = Directory.GetFiles(dir, "*.yaml").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0) Warnings.Add($"clusters: directory '{dir}' holds no *.yaml files, no clusters loaded");
        foreach (var file in files)
        {
            var label = $"clusters[{Path.GetFileName(file)}]";
            try
            {
                AddCluster(Parse(File.ReadAllText(file), file), label, settings);
            }
            catch (ConfigurationException e)
            {
                Errors.AddRange(e.Problems);
            }
            catch (IOException e)
            {
                Errors.Add($"{label}: cannot read {file}: {e.Message}");
            }
        }
    }

    private void AddCluster(YamlNode? node, string label, FirecrestSettings settings)
    {
        if (node is not YamlMappingNode map)
        {
            Errors.Add($"{label} must be a mapping (a cluster), not a {(node is null ? "empty document" : Kind(node))}");
            return;
        }
        var cluster = new ClusterSettings();
        MapObject(map, cluster, label);
        settings.Clusters.Add(cluster);
        ClusterPaths.Add(label);
    }

    private object? MapValue(YamlNode node, Type type, string path, PropertyInfo? prop)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var t = underlying ?? type;
        if (IsNull(node))
        {
            if (underlying is not null) return null;
            var nullableRef = prop is not null && _nullability.Create(prop).WriteState == NullabilityState.Nullable;
            if (t == typeof(string)) return nullableRef ? null : "";
            if (t.IsValueType)
            {
                Errors.Add($"{path} must not be empty (expected {Describe(t)})");
                return Invalid;
            }
            return nullableRef ? null : Activator.CreateInstance(t);
        }
        if (t == typeof(string) || t.IsPrimitive || t.IsEnum) return MapScalar(node, t, path);
        if (t == typeof(Dictionary<HealthServiceType, ProbeSettings>)) return MapProbeServices(node, path);
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>)) return MapList(node, t, path);
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>)) return MapDictionary(node, t, path);
        if (node is not YamlMappingNode map)
        {
            Errors.Add($"{path} must be a mapping, not a {Kind(node)}");
            return Invalid;
        }
        var instance = Activator.CreateInstance(t)!;
        MapObject(map, instance, path);
        return instance;
    }

    private object MapList(YamlNode node, Type listType, string path)
    {
        if (node is not YamlSequenceNode seq)
        {
            Errors.Add($"{path} must be a list, not a {Kind(node)}");
            return Invalid;
        }
        var itemType = listType.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(listType)!;
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var item = MapValue(seq.Children[i], itemType, $"{path}[{i}]", null);
            if (!ReferenceEquals(item, Invalid)) list.Add(item);
        }
        return list;
    }

    private object MapDictionary(YamlNode node, Type dictType, string path)
    {
        if (node is not YamlMappingNode map)
        {
            Errors.Add($"{path} must be a mapping, not a {Kind(node)}");
            return Invalid;
        }
        var valueType = dictType.GetGenericArguments()[1];
        var dict = (IDictionary)Activator.CreateInstance(dictType)!;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Errors.Add($"{path}: keys must be plain strings (line {keyNode.Start.Line})");
                continue;
            }
            var value = MapValue(valueNode, valueType, Join(path, key), null);
            if (!ReferenceEquals(value, Invalid)) dict[key] = value;
        }
        return dict;
    }

    private object? MapScalar(YamlNode node, Type t, string path)
    {
        if (node is not YamlScalarNode { Value: { } text })
        {
            Errors.Add($"{path} must be {Describe(t)}, not a {Kind(node)}");
            return Invalid;
        }
        var s = text.Trim();
        if (t == typeof(string)) return text;
        if (t == typeof(bool))
        {
            switch (s.ToLowerInvariant())
            {
                case "true" or "yes" or "on" or "1" or "t" or "y": return true;
                case "false" or "no" or "off" or "0" or "f" or "n": return false;
            }
        }
        else if (t == typeof(int) || t == typeof(long))
        {
            if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                || (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 && (l = (long)d) == d))
            {
                if (t == typeof(long)) return l;
                if (l is >= int.MinValue and <= int.MaxValue) return (int)l;
            }
        }
        else if (t == typeof(double))
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        }
        else if (t.IsEnum)
        {
            var wanted = Normalize(s);
            foreach (var (value, name) in WireNames.Members(t))
                if (Normalize(name) == wanted || Normalize(value.ToString()) == wanted) return value;
        }
        Errors.Add($"{path} must be {Describe(t)} (got '{text}')");
        return Invalid;

        static string Normalize(string v) => v.Replace("_", "").Replace("-", "").ToLowerInvariant();
    }

    private string ResolveSecret(string value, string path)
    {
        if (!value.StartsWith(SecretFilePrefix, StringComparison.Ordinal)) return value;
        var file = value[SecretFilePrefix.Length..].Trim();
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Errors.Add($"{path}: cannot read secret file '{file}': {e.Message}");
            return "";
        }
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        YamlScalarNode s => $"value ('{s.Value}')",
        _ => node.NodeType.ToString(),
    };

    private static string Describe(Type t) =>
        t == typeof(bool) ? "true or false"
        : t == typeof(int) || t == typeof(long) ? "an integer"
        : t == typeof(double) ? "a number"
        : t.IsEnum ? "one of " + string.Join(", ", WireNames.Names(t))
        : "a string";
}
