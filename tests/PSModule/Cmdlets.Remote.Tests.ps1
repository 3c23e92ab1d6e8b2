# Every cmdlet in remote mode: the demo server as a process on its own port, OIDC client credentials.
BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $root 'Firecrest.psd1') -Force
    $envFile = if ($env:FIRECREST_CLUSTER_ENV) { $env:FIRECREST_CLUSTER_ENV } else { Join-Path $root '.testenv/cluster.env' }
    $vars = @{}
    foreach ($line in Get-Content $envFile) { if ($line -match '^([A-Z0-9_]+)=(.*)$') { $vars[$Matches[1]] = $Matches[2] } }
    $script:pidFile = Join-Path ([IO.Path]::GetTempPath()) "firecrest-ps-remote-$PID.pid"
    $port = if ($env:FIRECREST_PS_TEST_PORT) { $env:FIRECREST_PS_TEST_PORT } else { '18001' }
    $env:FIRECREST_DEMO_PIDFILE = $script:pidFile
    $env:FIRECREST_PORT = $port
    $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $root 'build.ps1') demo -Background 2>&1
    if ($LASTEXITCODE -ne 0) { throw "demo server did not start: $($out | Out-String)" }
    Remove-Item Env:FIRECREST_DEMO_PIDFILE, Env:FIRECREST_PORT -ErrorAction SilentlyContinue
    $script:mode = 'Remote'
    $secret = ConvertTo-SecureString $vars.DEMO_CLIENT_SECRET -AsPlainText -Force
    Connect-HpcSession -Url "http://127.0.0.1:$port" -TokenUrl $vars.OIDC_TOKEN_URL -ClientId $vars.DEMO_CLIENT_ID -ClientSecret $secret -Name remote | Out-Null
}

AfterAll {
    Disconnect-HpcSession -Name remote -ErrorAction SilentlyContinue
    if (Test-Path $script:pidFile) {
        Stop-Process -Id ([int] (Get-Content $script:pidFile -Raw)) -ErrorAction SilentlyContinue
        Remove-Item $script:pidFile -Force
    }
}

Describe 'Firecrest cmdlets (remote)' {
    . (Join-Path $PSScriptRoot 'CmdletSuite.ps1')
    . (Join-Path $PSScriptRoot 'CmdletSuite.Paths.ps1')
    . (Join-Path $PSScriptRoot 'CmdletSuite.Examples.ps1')
}

Describe 'Firecrest objects, pipeline, errors and sessions (remote)' {
    . (Join-Path $PSScriptRoot 'ObjectSuite.ps1')
}
