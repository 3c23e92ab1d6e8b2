# The README's demo command: `build.ps1 demo -Background` gives a server that answers.
BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $script:pidFile = Join-Path ([IO.Path]::GetTempPath()) "firecrest-demo-test-$PID.pid"
    $script:port = if ($env:FIRECREST_TEST_DEMO_PORT) { $env:FIRECREST_TEST_DEMO_PORT } else { '18000' }
    $env:FIRECREST_DEMO_PIDFILE = $script:pidFile
    $env:FIRECREST_PORT = $script:port
    $script:output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $root 'build.ps1') demo -Background 2>&1
    $script:exit = $LASTEXITCODE
    $script:vars = @{}
    foreach ($line in Get-Content (Join-Path $root '.testenv/cluster.env')) {
        if ($line -match '^([A-Z0-9_]+)=(.*)$') { $script:vars[$Matches[1]] = $Matches[2] }
    }
}

AfterAll {
    if (Test-Path $script:pidFile) {
        $serverPid = [int] (Get-Content $script:pidFile -Raw)
        Stop-Process -Id $serverPid -ErrorAction SilentlyContinue
        Remove-Item $script:pidFile -Force
    }
    Remove-Item Env:FIRECREST_DEMO_PIDFILE, Env:FIRECREST_PORT -ErrorAction SilentlyContinue
}

Describe 'build.ps1 demo -Background' {
    It 'returns once the server answers and writes its pid file' {
        $script:exit | Should -Be 0 -Because ($script:output | Out-String)
        Test-Path $script:pidFile | Should -BeTrue
        Get-Process -Id ([int] (Get-Content $script:pidFile -Raw)) | Should -Not -BeNullOrEmpty
    }

    It 'serves GET /status/liveness/ with 200' {
        $r = Invoke-WebRequest -Uri "http://127.0.0.1:$($script:port)/status/liveness/" -SkipHttpErrorCheck
        $r.StatusCode | Should -Be 200
        ($r.Content | ConvertFrom-Json).PSObject.Properties.Name | Should -Contain 'healthcheckRuns'
    }

    It 'prints a curl recipe that works and no secret or token' {
        $text = $script:output | Out-String
        $recipe = @($script:output | ForEach-Object { "$_" -split "`n" } | ForEach-Object { $_.Trim() } |
            Where-Object { $_ -match '^(\. \S+cluster\.env|TOKEN=\$\(curl |curl -s -H "Authorization: Bearer \$TOKEN")' })
        $recipe.Count | Should -Be 3
        $recipe[2] | Should -Match "http://127.0.0.1:$($script:port)/status/systems"
        $answer = bash -c ($recipe -join "`n")
        ($answer | ConvertFrom-Json).systems.name | Should -Contain 'cluster'
        $secret = (Select-String '^DEMO_CLIENT_SECRET=(.*)' $env:FIRECREST_CLUSTER_ENV).Matches[0].Groups[1].Value
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match 'eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.'
    }
}
