using System.Collections.Concurrent;
using System.Reflection;
using System.Xml.Linq;

namespace Firecrest.Mcp.Contract;

/// <summary>
/// Reads the summaries of the XML documentation files shipped beside the application (GenerateDocumentationFile), so
/// output schemas describe each property with the text its type documents. A missing file means no descriptions.
/// </summary>
internal static class XmlDocs
{
    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, XElement>> Files = new();

    /// <summary>
    /// The documentation of <paramref name="property"/>: its own summary, else the record's <c>&lt;param&gt;</c> of that
    /// name (positional records document their properties there).
    /// </summary>
    public static string? Describe(MemberInfo property)
    {
        var type = property.DeclaringType;
        if (type is null) return null;
        if (type.IsGenericType) type = type.GetGenericTypeDefinition();
        var members = Files.GetOrAdd(type.Assembly, Load);
        var typeId = (type.FullName ?? type.Name).Replace('+', '.');
        if (members.TryGetValue("P:" + typeId + "." + property.Name, out var own) && Text(own.Element("summary")) is { } summary)
            return summary;
        if (members.TryGetValue("T:" + typeId, out var declaring))
        {
            var param = declaring.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == property.Name)
                        ?? declaring.Elements("param").FirstOrDefault(p => string.Equals((string?)p.Attribute("name"), property.Name, StringComparison.OrdinalIgnoreCase));
            if (Text(param) is { } text) return text;
        }
        return null;
    }

    private static IReadOnlyDictionary<string, XElement> Load(Assembly assembly)
    {
        // Beside the application, where builds and publishes copy each assembly's documentation file (a natively
        // compiled server has no assembly files, so no assembly location).
        var path = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
        if (!File.Exists(path)) return new Dictionary<string, XElement>();
        try
        {
            return XDocument.Load(path).Descendants("member")
                .Where(m => m.Attribute("name") is not null)
                .GroupBy(m => (string)m.Attribute("name")!)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
        {
            return new Dictionary<string, XElement>();
        }
    }

    /// <summary>The element's text with <c>see</c>/<c>c</c> references flattened to their names and white space collapsed.</summary>
    private static string? Text(XElement? element)
    {
        if (element is null) return null;
        var parts = element.Nodes().Select(n => n switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" or "seealso" } e => (string?)e.Attribute("langword") ?? ShortName((string?)e.Attribute("cref")) ?? e.Value,
            XElement { Name.LocalName: "paramref" or "typeparamref" } e => (string?)e.Attribute("name") ?? "",
            XElement e => e.Value,
            _ => "",
        });
        var text = string.Join(" ", string.Concat(parts).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length == 0 ? null : text;
    }

    private static string? ShortName(string? cref)
    {
        if (cref is null) return null;
        var name = cref[(cref.IndexOf(':') + 1)..];
        var paren = name.IndexOf('(');
        if (paren >= 0) name = name[..paren];
        return name[(name.LastIndexOf('.') + 1)..];
    }
}
