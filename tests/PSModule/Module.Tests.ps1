BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $manifest = Join-Path $root 'Firecrest.psd1'
    Import-Module $manifest -Force
}

Describe 'Firecrest module' {
    It 'imports from Firecrest.psd1 with its exported cmdlets' {
        $m = Get-Module Firecrest
        $m | Should -Not -BeNullOrEmpty
        $m.Version | Should -Be ([version] '0.1.0')
        $data = Import-PowerShellDataFile $manifest
        $data.DefaultCommandPrefix | Should -Be 'Hpc'
        @($m.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($data.CmdletsToExport | Sort-Object)
        # the session sees them under the default prefix
        $prefixed = $data.CmdletsToExport | ForEach-Object { $verb, $noun = $_ -split '-', 2; "$verb-Hpc$noun" }
        @(Get-Command -Module Firecrest | ForEach-Object Name | Sort-Object) | Should -Be @($prefixed | Sort-Object)
    }

    It 'runs a cmdlet of the built module' {
        $info = Get-HpcModuleInfo
        $info.Module | Should -Match '^\d+\.\d+\.\d+'
        $info.Engine | Should -Match '^\d+\.\d+\.\d+'
    }

    It 'mirrors the engine job state member for member in its public job state' {
        Get-HpcModuleInfo | Out-Null
        $core = [System.Runtime.Loader.AssemblyLoadContext]::All.Assemblies | Where-Object { $_.GetName().Name -eq 'Firecrest.Core' } | Select-Object -First 1
        $engine = $core.GetType('Firecrest.Core.Models.JobState', $true)
        $mirror = [Firecrest.PowerShell.Objects.HpcJobState]
        @([enum]::GetNames($mirror)) | Should -Be @([enum]::GetNames($engine))
        @([enum]::GetValues($mirror) | ForEach-Object { [long]$_ }) | Should -Be @([enum]::GetValues($engine) | ForEach-Object { [long]$_ })
        [enum]::GetUnderlyingType($engine) | Should -Be ([long])
    }

    It 'declares ProjectUri and ReleaseNotes, and every cmdlet has a HelpUri under the project' {
        $psData = (Import-PowerShellDataFile $manifest).PrivateData.PSData
        $psData.ProjectUri | Should -Match '^https://'
        $psData.ReleaseNotes | Should -Match 'Prefix F7t'
        foreach ($c in Get-Command -Module Firecrest -CommandType Cmdlet) {
            $c.HelpUri | Should -BeLike "$($psData.ProjectUri)/*" -Because $c.Name
        }
    }
}
