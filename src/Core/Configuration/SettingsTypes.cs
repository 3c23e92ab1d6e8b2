using System.Diagnostics.CodeAnalysis;
using Firecrest.Core.Models;

namespace Firecrest.Core.Configuration;

/// <summary>
/// The settings classes, enums and collections that <see cref="YamlSettingsMapper"/> creates and fills by reflection.
/// The attributes keep their constructors, properties and fields in a trimmed or natively compiled program, where
/// nothing else would; a test checks that every type reachable from <see cref="FirecrestSettings"/> is listed.
/// </summary>
internal static class SettingsTypes
{
    /// <summary>What the mapper reaches on a listed type.</summary>
    internal const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicParameterlessConstructor
        | DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicFields;

    /// <summary>Called where mapping starts, so that the list is kept wherever the mapper is.</summary>
    [DynamicDependency(Members, typeof(FirecrestSettings))]
    [DynamicDependency(Members, typeof(AuthSettings))]
    [DynamicDependency(Members, typeof(AuthenticationSettings))]
    [DynamicDependency(Members, typeof(AuthorizationSettings))]
    [DynamicDependency(Members, typeof(BucketLifecycleSettings))]
    [DynamicDependency(Members, typeof(ClusterSettings))]
    [DynamicDependency(Members, typeof(DataOperationSettings))]
    [DynamicDependency(Members, typeof(DataTransferSettings))]
    [DynamicDependency(Members, typeof(DocServer))]
    [DynamicDependency(Members, typeof(FileSystemDataType))]
    [DynamicDependency(Members, typeof(FileSystemSettings))]
    [DynamicDependency(Members, typeof(HealthServiceType))]
    [DynamicDependency(Members, typeof(LoggableHeader))]
    [DynamicDependency(Members, typeof(LoggerSettings))]
    [DynamicDependency(Members, typeof(MultipartSettings))]
    [DynamicDependency(Members, typeof(ProbeSettings))]
    [DynamicDependency(Members, typeof(ProbingSettings))]
    [DynamicDependency(Members, typeof(SchedulerConnectionMode))]
    [DynamicDependency(Members, typeof(SchedulerSettings))]
    [DynamicDependency(Members, typeof(SchedulerType))]
    [DynamicDependency(Members, typeof(ServiceAccountSettings))]
    [DynamicDependency(Members, typeof(SshCredentialsSettings))]
    [DynamicDependency(Members, typeof(SshCredentialsType))]
    [DynamicDependency(Members, typeof(SshSettings))]
    [DynamicDependency(Members, typeof(SshTimeoutSettings))]
    [DynamicDependency(Members, typeof(StaticKeySettings))]
    [DynamicDependency(Members, typeof(TransferMethod))]
    [DynamicDependency(Members, typeof(Dictionary<HealthServiceType, ProbeSettings>))]
    [DynamicDependency(Members, typeof(Dictionary<string, StaticKeySettings>))]
    [DynamicDependency(Members, typeof(Dictionary<string, string>))]
    [DynamicDependency(Members, typeof(List<ClusterSettings>))]
    [DynamicDependency(Members, typeof(List<DocServer>))]
    [DynamicDependency(Members, typeof(List<FileSystemSettings>))]
    [DynamicDependency(Members, typeof(List<LoggableHeader>))]
    [DynamicDependency(Members, typeof(List<int>))]
    [DynamicDependency(Members, typeof(List<string>))]
    internal static void Keep() { }
}
