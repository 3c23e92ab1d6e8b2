using System.Management.Automation;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>
/// Wraps engine models for output with the facts the pipeline needs downstream (the system, a file's full path), so
/// <c>Get-HpcJob | Stop-HpcJob</c> and <c>Get-HpcChildItem | Receive-HpcFile</c> bind by property name.
/// </summary>
internal static class OutputObjects
{
    public static PSObject WithSystem(object model, string system)
    {
        var o = PSObject.AsPSObject(model);
        Set(o, "System", system);
        return o;
    }

    public static PSObject File(Core.Models.RemoteFile file, string system, string fullName)
    {
        // `ls -l` of a file (not a directory) names the entry by the path given: the object shows its file name.
        if (file.Name.Length > 1 && file.Name.StartsWith('/')) file.Name = file.Name.TrimEnd('/')[(file.Name.TrimEnd('/').LastIndexOf('/') + 1)..];
        var o = WithSystem(file, system);
        Set(o, "FullName", fullName);
        Set(o, "Length", long.TryParse(file.Size, out var n) ? n : 0L);
        return o;
    }

    private static void Set(PSObject o, string name, object? value)
    {
        if (o.Properties[name] is PSNoteProperty p) p.Value = value;
        else o.Properties.Add(new PSNoteProperty(name, value));
    }
}
