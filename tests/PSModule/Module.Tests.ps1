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
        $declared = (Import-PowerShellDataFile $manifest).CmdletsToExport
        @($m.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($declared | Sort-Object)
    }

    It 'runs a cmdlet of the built module' {
        $info = Get-HpcModuleInfo
        $info.Module | Should -Match '^\d+\.\d+\.\d+'
        $info.Engine | Should -Match '^\d+\.\d+\.\d+'
    }
}
