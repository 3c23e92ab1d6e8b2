using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.Models;

/// <summary>What a file system holds (<c>fileSystems[].dataType</c> on the wire, <c>file_systems[].data_type</c> in the configuration).</summary>
[JsonConverter(typeof(WireEnumConverter<FileSystemDataType>))]
public enum FileSystemDataType
{
    /// <summary>Home directories.</summary>
    [WireName("users")]
    Users,

    /// <summary>Long-term storage.</summary>
    [WireName("store")]
    Store,

    /// <summary>Archive (tape or cold storage).</summary>
    [WireName("archive")]
    Archive,

    /// <summary>Installed software.</summary>
    [WireName("apps")]
    Apps,

    /// <summary>Scratch space.</summary>
    [WireName("scratch")]
    Scratch,

    /// <summary>Project space.</summary>
    [WireName("project")]
    Project,
}
