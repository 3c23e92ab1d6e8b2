# Every cmdlet in direct mode: the engine in this process from the cluster's YAML configuration, no server.
BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $root 'Firecrest.psd1') -Force
    $envFile = if ($env:FIRECREST_CLUSTER_ENV) { $env:FIRECREST_CLUSTER_ENV } else { Join-Path $root '.testenv/cluster.env' }
    $vars = @{}
    foreach ($line in Get-Content $envFile) { if ($line -match '^([A-Z0-9_]+)=(.*)$') { $vars[$Matches[1]] = $Matches[2] } }
    $script:mode = 'Direct'
    Connect-HpcSession -ConfigPath $vars.FIRECREST_CONFIG -User fireuser -Name direct | Out-Null
}

AfterAll {
    Disconnect-HpcSession -Name direct -ErrorAction SilentlyContinue
}

Describe 'Firecrest cmdlets (direct)' {
    . (Join-Path $PSScriptRoot 'CmdletSuite.ps1')
    . (Join-Path $PSScriptRoot 'CmdletSuite.Paths.ps1')
    . (Join-Path $PSScriptRoot 'CmdletSuite.Examples.ps1')
}

Describe 'Firecrest objects, pipeline, errors and sessions (direct)' {
    . (Join-Path $PSScriptRoot 'ObjectSuite.ps1')
}
