using System.Collections;
using System.Globalization;
using System.Reflection;
using Firecrest.Core.Configuration;
using Firecrest.Core.Json;
using Firecrest.Core.Models;

namespace Firecrest.Core.Tests.Configuration;

/// <summary>Every settings property is a YAML key that sets it; every enum value is read from its wire string.</summary>
public sealed class ConfigKeyTableTests
{
    public static TheoryData<string, string> SettingsKeys()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in SettingsTypes())
            foreach (var key in SettingsKeyTable.For(type).Keys)
                data.Add(type.Name, key.Snake);
        return data;
    }

    [Fact]
    public void Every_public_settable_property_of_every_settings_class_has_a_key()
    {
        var types = SettingsTypes();
        Assert.Contains(typeof(DataTransferSettings), types);
        Assert.Contains(typeof(StaticKeySettings), types);
        foreach (var type in types)
        {
            var table = SettingsKeyTable.For(type);
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
            Assert.Equal(properties.Select(p => p.Name).Order(), table.Keys.Select(k => k.Property.Name).Order());
            Assert.All(table.ByName.Values, k => Assert.Same(type, k.Property.DeclaringType));
        }
    }

    [Fact]
    public void Variant_keys_name_values_of_the_section_discriminator()
    {
        foreach (var type in SettingsTypes())
        {
            var table = SettingsKeyTable.For(type);
            foreach (var key in table.Keys.Where(k => k.UsedWhen is not null))
            {
                Assert.NotNull(table.Discriminator);
                Assert.All(key.UsedWhen!, v => Assert.IsType(table.Discriminator!.Property.PropertyType, v));
            }
        }
    }

    [Theory]
    [MemberData(nameof(SettingsKeys))]
    public void Each_key_sets_its_property(string typeName, string snake)
    {
        var type = SettingsTypes().Single(t => t.Name == typeName);
        var table = SettingsKeyTable.For(type);
        var key = table.Keys.Single(k => k.Snake == snake);
        var (yamlValue, expected) = Sample(key.Property);
        var spellings = table.SnakeCaseOnly ? [snake] : new[] { snake, ConfigKeyNames.ToCamel(snake) };
        foreach (var spelling in spellings.Distinct())
        {
            var lines = new List<string> { $"{spelling}: {yamlValue}" };
            if (table.Discriminator is { } disc && disc != key)
                lines.Add($"{disc.Snake}: {WireNames.Of(key.UsedWhen?.First() ?? (Enum)Enum.GetValues(disc.Property.PropertyType).GetValue(0)!)}");
            var mapper = new YamlSettingsMapper();

            var section = mapper.MapSection(YamlSettingsMapper.Parse(string.Join('\n', lines), "test")!, type, "s");

            Assert.Empty(mapper.Errors);
            Assert.Empty(mapper.Warnings);
            Assert.Contains($"s.{snake}", mapper.Present);
            if (expected is not null) Assert.Equal(expected, key.Property.GetValue(section));
            else Assert.NotNull(key.Property.GetValue(section));
        }
    }

    [Theory]
    [InlineData("users", FileSystemDataType.Users)]
    [InlineData("store", FileSystemDataType.Store)]
    [InlineData("archive", FileSystemDataType.Archive)]
    [InlineData("apps", FileSystemDataType.Apps)]
    [InlineData("scratch", FileSystemDataType.Scratch)]
    [InlineData("project", FileSystemDataType.Project)]
    public void Data_types_are_read_from_their_wire_strings(string yaml, FileSystemDataType expected)
    {
        var s = FirecrestConfigLoader.LoadFromYaml(ConfigKeyStyleTests.ValidSnakeConfig.Replace("data_type: users", $"data_type: {yaml}")).Settings;

        Assert.Equal(expected, s.Clusters[0].FileSystems[0].DataType);
    }

    [Theory]
    [InlineData("s3", TransferMethod.S3)]
    [InlineData("streamer", TransferMethod.Streamer)]
    [InlineData("wormhole", TransferMethod.Wormhole)]
    [InlineData("S3", TransferMethod.S3)]
    public void Transfer_methods_are_read_from_their_wire_strings(string yaml, TransferMethod expected)
    {
        var mapper = new YamlSettingsMapper();

        var dt = (DataTransferSettings)mapper.MapSection(YamlSettingsMapper.Parse($"service_type: {yaml}", "test")!, typeof(DataTransferSettings), "dt")!;

        Assert.Empty(mapper.Errors);
        Assert.Equal(expected, dt.ServiceType);
    }

    [Theory]
    [InlineData("ssh", HealthServiceType.Ssh)]
    [InlineData("scheduler", HealthServiceType.Scheduler)]
    [InlineData("filesystem", HealthServiceType.Filesystem)]
    [InlineData("s3", HealthServiceType.S3)]
    [InlineData("filesystems", HealthServiceType.Filesystem)]
    [InlineData("storage", HealthServiceType.S3)]
    public void Probe_service_kinds_are_read_from_their_wire_strings_and_legacy_names(string yaml, HealthServiceType expected)
    {
        var mapper = new YamlSettingsMapper();

        var p = (ProbingSettings)mapper.MapSection(YamlSettingsMapper.Parse($"services: {{{yaml}: {{timeout: 3}}}}", "test")!, typeof(ProbingSettings), "p")!;

        Assert.Empty(mapper.Warnings);
        Assert.Equal(3, Assert.Single(p.Services!, kv => kv.Key == expected).Value.Timeout);
    }

    [Fact]
    public void The_exception_kind_is_not_a_probe_service()
    {
        var mapper = new YamlSettingsMapper();

        var p = (ProbingSettings)mapper.MapSection(YamlSettingsMapper.Parse("services: {exception: {timeout: 3}}", "test")!, typeof(ProbingSettings), "p")!;

        Assert.Empty(p.Services!);
        Assert.Equal(["p.services.exception: unknown service kind (expected ssh, scheduler, filesystem or s3), ignored"], mapper.Warnings);
    }

    [Fact]
    public void Settings_of_each_enum_serialise_back_to_the_yaml_strings()
    {
        var s = FirecrestConfigLoader.LoadFromYaml(ConfigKeyStyleTests.ValidSnakeConfig).Settings;

        Assert.Equal("s3", WireNames.Of(s.Clusters[0].DataOperation.DataTransfer!.ServiceType));
        Assert.Equal("users", WireNames.Of(s.Clusters[0].FileSystems[0].DataType));
        Assert.Equal("ssh", WireNames.Of(s.Clusters[0].Probing.Services!.Keys.Single()));
    }

    private static List<Type> SettingsTypes()
    {
        var found = new List<Type>();
        var queue = new Queue<Type>([typeof(FirecrestSettings)]);
        while (queue.TryDequeue(out var type))
        {
            if (found.Contains(type)) continue;
            found.Add(type);
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                foreach (var t in Inner(p.PropertyType))
                    if (t.IsClass && t.Namespace == typeof(FirecrestSettings).Namespace) queue.Enqueue(t);
        }
        return found;

        static IEnumerable<Type> Inner(Type t) => t.IsGenericType ? t.GetGenericArguments().SelectMany(Inner) : [Nullable.GetUnderlyingType(t) ?? t];
    }

    /// <summary>A YAML value for the property that differs from its default, and the value it should map to (null: only "not null").</summary>
    private static (string Yaml, object? Expected) Sample(PropertyInfo p)
    {
        var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        var current = p.GetValue(Activator.CreateInstance(p.DeclaringType!));
        if (t == typeof(string)) return ("sample-value", "sample-value");
        if (t == typeof(int)) return ("4321", 4321);
        if (t == typeof(long)) return ("4321", 4321L);
        if (t == typeof(double)) return ("43.5", 43.5);
        if (t == typeof(bool)) return (current is true ? "false" : "true", current is not true);
        if (t.IsEnum)
        {
            var other = WireNames.Members(t).First(m => !m.Value.Equals(current));
            return (other.Name, other.Value);
        }
        if (typeof(IList).IsAssignableFrom(t)) return ("[]", null);
        if (SettingsKeyTable.For(t).Discriminator is { } disc)
            return ($"{{{disc.Snake}: {WireNames.Names(disc.Property.PropertyType).First()}}}", null);
        return ("{}", null);
    }
}
