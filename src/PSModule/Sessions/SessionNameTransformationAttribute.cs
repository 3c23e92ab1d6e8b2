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
        // Text that names no session stays as it is: piped text may be meant for another parameter (Submit-HpcJob -Script),
        // and -Session given such text fails as a conversion naming it.
        return HpcSessionStore.Find(name) ?? inputData;
    }
}
