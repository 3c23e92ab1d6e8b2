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
    CmdletsToExport      = @(
        'Compress-HpcItem',
        'Connect-Hpc',
        'Copy-HpcItem',
        'Disconnect-Hpc',
        'Expand-HpcItem',
        'Get-HpcChildItem',
        'Get-HpcContent',
        'Get-HpcFileHash',
        'Get-HpcItem',
        'Get-HpcJob',
        'Get-HpcJobOutput',
        'Get-HpcModuleInfo',
        'Get-HpcNode',
        'Get-HpcPartition',
        'Get-HpcReservation',
        'Get-HpcSession',
        'Get-HpcSystem',
        'Get-HpcUserInfo',
        'Invoke-HpcBatch',
        'Move-HpcItem',
        'New-HpcItem',
        'Receive-HpcFile',
        'Remove-HpcItem',
        'Send-HpcFile',
        'Set-HpcSession',
        'Set-HpcItemPermission',
        'Stop-HpcJob',
        'Submit-HpcJob',
        'Wait-HpcJob'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('HPC', 'Slurm', 'PBS', 'FirecREST')
            LicenseUri = 'https://opensource.org/licenses/BSD-3-Clause'
        }
    }
}
