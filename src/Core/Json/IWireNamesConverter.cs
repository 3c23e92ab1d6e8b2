namespace Firecrest.Core.Json;

/// <summary>
/// A converter that writes an enum as its <see cref="WireNames">wire strings</see>: what a schema generator lists for
/// the enum, found from the type's metadata without reflecting over its fields.
/// </summary>
public interface IWireNamesConverter
{
    /// <summary>The wire strings, in the order of their values.</summary>
    IEnumerable<string> Names { get; }
}
