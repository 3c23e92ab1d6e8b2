using System.Management.Automation;

namespace Firecrest.PowerShell.Sessions;

/// <summary>Lets -Session take a session's name (as completion offers it) as well as the session object.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SessionNameTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject o ? o.BaseObject : inputData;
        if (value is not string name) return inputData;
        return HpcSessionStore.Find(name)
            ?? throw new ArgumentTransformationMetadataException(
                $"No session named '{name}' (open: {string.Join(", ", HpcSessionStore.All.Select(s => s.Name))}); see Get-HpcSession.");
    }
}
