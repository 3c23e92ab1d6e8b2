namespace Firecrest.PowerShell.Infrastructure;

/// <summary>
/// Where Get-Help -Online goes (every cmdlet's HelpUri): the module's guide in the project (ProjectUri in
/// Firecrest.psd1 plus docs/powershell.md).
/// </summary>
internal static class HelpLinks
{
    public const string Project = "https://github.com/FirecrestAutomation/FirecrestAutomation";

    public const string Guide = Project + "/blob/main/docs/powershell.md";
}
