@{
    RootModule           = 'artifacts/module/bin/Firecrest.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c2f3e-8d8b-4d0e-9a57-2f7f0d7e5c31'
    Author               = 'FirecrestAutomation'
    CompanyName          = 'FirecrestAutomation'
    Copyright            = '(c) FirecrestAutomation. BSD-3-Clause.'
    Description          = 'Automate HPC systems (Slurm, PBS) through FirecREST v2 servers or directly through the engine.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('artifacts/module/bin/Firecrest.Format.ps1xml')
    TypesToProcess       = @('artifacts/module/bin/Firecrest.Types.ps1xml')
    # Nouns carry no prefix: PowerShell adds DefaultCommandPrefix (Get-HpcJob), or the one given to Import-Module -Prefix
    # instead (Import-Module Firecrest -Prefix F7t gives Get-F7tJob, beside Microsoft HPC Pack's Get-HpcJob).
    DefaultCommandPrefix = 'Hpc'
    CmdletsToExport      = @(
        'Compress-Item',
        'Connect-Session',
        'Copy-Item',
        'Disconnect-Session',
        'Expand-Item',
        'Get-ChildItem',
        'Get-Content',
        'Get-FileHash',
        'Get-Item',
        'Get-Job',
        'Get-JobOutput',
        'Get-ModuleInfo',
        'Get-Node',
        'Get-Partition',
        'Get-Reservation',
        'Get-Session',
        'Get-System',
        'Get-UserInfo',
        'Invoke-Batch',
        'Move-Item',
        'New-Item',
        'Receive-File',
        'Remove-Item',
        'Send-File',
        'Set-ItemPermission',
        'Set-Session',
        'Stop-Job',
        'Submit-Job',
        'Wait-Job'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('HPC', 'Slurm', 'PBS', 'FirecREST')
            LicenseUri   = 'https://opensource.org/licenses/BSD-3-Clause'
            ProjectUri   = 'https://github.com/FirecrestAutomation/FirecrestAutomation'
            ReleaseNotes = @'
0.1.0: cmdlets for FirecREST v2 servers (remote) and the engine in process (direct). Commands carry the default
prefix Hpc: Import-Module Firecrest -Prefix F7t names them Get-F7tJob, ... (for users of Microsoft HPC Pack, whose
Get-HpcJob and Submit-HpcJob have the same names). Connect-Hpc and Disconnect-Hpc are now Connect-HpcSession and
Disconnect-HpcSession. Remote paths take ~, ~/x, relative paths (under the home directory) and wildcards; -LiteralPath
beside -Path; Send-HpcFile and Receive-HpcFile follow Copy-Item (destination directory or new name, -Force
overwrites); completion of job ids, accounts, sessions, systems and file system roots; help with about_Firecrest.
'@
        }
    }
}
