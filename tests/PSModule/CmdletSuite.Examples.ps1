# Every example of Get-Help -Examples and every fenced powershell block of docs/powershell.md runs against the demo
# cluster, and the module works under Import-Module -Prefix. Dot-sourced after CmdletSuite.ps1 inside the Describe of
# Cmdlets.Remote.Tests.ps1 and Cmdlets.Direct.Tests.ps1 (its $script:base, $script:local and current session).
# Only the placeholders the examples mark (<dir>, <job>, <url>, ...; see src/PSModule/help/Examples.psd1 and the doc)
# are replaced; an unknown one fails the test.

Context 'examples' {
    BeforeAll {
        $script:repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
        $envFile = if ($env:FIRECREST_CLUSTER_ENV) { $env:FIRECREST_CLUSTER_ENV } else { Join-Path $script:repo '.testenv/cluster.env' }
        $script:clusterVars = @{}
        foreach ($line in Get-Content $envFile) { if ($line -match '^([A-Z0-9_]+)=(.*)$') { $script:clusterVars[$Matches[1]] = $Matches[2] } }
        $script:suite = Get-HpcSession -Current

        # The remote directory <dir> and the local folder the examples run in, holding what they name.
        $script:exDir = "$script:base/examples"
        $script:exLocal = Join-Path $script:local 'examples'
        New-Item -ItemType Directory -Force $script:exLocal | Out-Null
        Set-Content (Join-Path $script:exLocal 'job.sh') "#!/bin/bash`necho from-job-sh"
        'a' | Set-Content (Join-Path $script:exLocal 'a.dat')
        'b' | Set-Content (Join-Path $script:exLocal 'b.dat')
        $bytes = [byte[]]::new(1536KB)
        [Random]::new(11).NextBytes($bytes)
        [IO.File]::WriteAllBytes((Join-Path $script:exLocal 'data.bin'), $bytes)
        [Random]::new(12).NextBytes($bytes)
        [IO.File]::WriteAllBytes((Join-Path $script:exLocal 'big.tar'), $bytes)
        @"
system: cluster
defaults:
  account: hpcproj
  partition: debug
  workingDirectory: $script:exDir/batch
  resources: {nodes: 1, time: "00:02:00"}
jobs:
  A: {script: "echo from-a > a.txt"}
  B: {script: "cat a.txt", dependsOn: [A]}
"@ | Set-Content (Join-Path $script:exLocal 'run.yaml')
        foreach ($d in 'run1', 'results', 'tmp') { New-HpcItem "$script:exDir/$d" -ItemType Directory -Force | Out-Null }
        Send-HpcFile (Join-Path $script:exLocal 'data.bin') -Destination $script:exDir -Account hpcproj -ErrorAction Stop | Out-Null
        $stage = Join-Path $script:local 'examples-stage'
        New-Item -ItemType Directory -Force $stage | Out-Null
        foreach ($f in @(@('input.dat', 'in'), @('run.sh', "#!/bin/bash`necho run"), @('log.txt', (1..60 -join "`n")), @('r1.txt', 'r1'), @('r2.txt', 'r2'), @('x.log', 'x'))) {
            Set-Content (Join-Path $stage $f[0]) $f[1]
        }
        Send-HpcFile (Join-Path $stage 'input.dat'), (Join-Path $stage 'run.sh'), (Join-Path $script:exLocal 'a.dat') -Destination $script:exDir -ErrorAction Stop | Out-Null
        Send-HpcFile (Join-Path $stage 'log.txt') -Destination "$script:exDir/run1" -ErrorAction Stop | Out-Null
        Send-HpcFile (Join-Path $stage 'r*.txt') -Destination "$script:exDir/results" -ErrorAction Stop | Out-Null
        Send-HpcFile (Join-Path $stage 'x.log') -Destination "$script:exDir/tmp" -ErrorAction Stop | Out-Null
        Compress-HpcItem "$script:exDir/run1" "$script:exDir/archive.tar.gz" -ErrorAction Stop | Out-Null
        $script:exJob = Submit-HpcJob -Script "#!/bin/bash`necho example-output" -WorkingDirectory $script:exDir -Account hpcproj -Wait -Timeout 120 -ErrorAction Stop

        # Placeholder values: text for the ones a command line takes as is, variables for secure strings and credentials.
        $script:remote = "$($script:suite.Mode)" -eq 'Remote'
        $secret = ConvertTo-SecureString $script:clusterVars.DEMO_CLIENT_SECRET -AsPlainText -Force
        $global:FirecrestExampleSecret = $secret
        $global:FirecrestExampleCredential = [pscredential]::new($script:clusterVars.DEMO_CLIENT_ID, $secret)
        $token = (Invoke-RestMethod -Method Post -Uri $script:clusterVars.OIDC_TOKEN_URL -Body @{
                grant_type = 'client_credentials'; client_id = $script:clusterVars.DEMO_CLIENT_ID; client_secret = $script:clusterVars.DEMO_CLIENT_SECRET
            }).access_token
        $global:FirecrestExampleToken = ConvertTo-SecureString $token -AsPlainText -Force
        $script:placeholders = @{
            'dir'        = $script:exDir
            'job'        = $script:exJob.JobId
            'config'     = $script:clusterVars.FIRECREST_CONFIG
            'user'       = 'fireuser'
            'session'    = $script:suite.Name
            'token-url'  = $script:clusterVars.OIDC_TOKEN_URL
            'client-id'  = $script:clusterVars.DEMO_CLIENT_ID
            'secret'     = '$global:FirecrestExampleSecret'
            'credential' = '$global:FirecrestExampleCredential'
            'token'      = '$global:FirecrestExampleToken'
        }
        # <url> exists in remote mode only (direct mode runs no server): examples naming it run in the remote suite.
        if ($script:remote) { $script:placeholders['url'] = $script:suite.Target.TrimEnd('/') }

        function script:Expand-Example([string] $code) {
            [regex]::Replace($code, '<([a-z][a-z-]*)>', {
                    param($m)
                    $name = $m.Groups[1].Value
                    if (-not $script:placeholders.ContainsKey($name)) { throw "unknown placeholder <$name>" }
                    $script:placeholders[$name]
                })
        }
        function script:Test-Runnable([string] $code) { $script:remote -or $code -notmatch '<url>' }
        # Puts the suite's session back when an example connected, replaced or closed sessions.
        function script:Restore-Session {
            $now = Get-HpcSession -Current
            if ($now -and [object]::ReferenceEquals($now, $script:suite)) { return }
            $s = $script:suite
            $script:suite = if ("$($s.Mode)" -eq 'Remote') {
                Connect-HpcSession -Url $s.Target -TokenUrl $script:clusterVars.OIDC_TOKEN_URL -ClientId $script:clusterVars.DEMO_CLIENT_ID -ClientSecret $global:FirecrestExampleSecret -Name $s.Name
            } else {
                Connect-HpcSession -ConfigPath $s.Target -User $s.User -Name $s.Name
            }
        }
        # Runs one example in the local folder; returns $null or a failure text.
        function script:Invoke-Example([string] $label, [string] $code) {
            $expanded = Expand-Example $code
            Push-Location $script:exLocal
            try {
                $ErrorActionPreference = 'Stop'
                $null = & ([scriptblock]::Create($expanded)) *>&1 | Out-String
                $null
            } catch {
                "$label`n    $expanded`n    $($_.Exception.Message)"
            } finally {
                $ErrorActionPreference = 'Continue'
                Pop-Location
                Restore-Session
            }
        }
    }
    AfterAll {
        Remove-Variable -Scope Global -Name FirecrestExampleSecret, FirecrestExampleCredential, FirecrestExampleToken -ErrorAction SilentlyContinue
    }

    It 'every example of Get-Help -Examples runs' {
        $failures = @()
        $ran = 0
        $total = 0
        foreach ($c in Get-Command -Module Firecrest -CommandType Cmdlet | Sort-Object Name) {
            $i = 0
            foreach ($ex in @((Get-Help $c.Name -Examples).examples.example)) {
                $i++
                $code = ($ex.code | Out-String).Trim()
                $code | Should -Not -BeNullOrEmpty -Because "$($c.Name) example $i"
                $total++
                if (-not (Test-Runnable $code)) { continue }
                $ran++
                $failures += Invoke-Example "$($c.Name) example $i" $code
            }
        }
        $declared = (Import-PowerShellDataFile (Join-Path $script:repo 'src/PSModule/help/Examples.psd1')).Values | ForEach-Object { $_.Count } | Measure-Object -Sum
        $total | Should -Be $declared.Sum -Because 'Get-Help shows every example of Examples.psd1'
        $ran | Should -Be $(if ($script:remote) { $total } else { $total - 1 }) -Because 'only the example naming <url> needs a server'
        ($failures | Where-Object { $_ }) -join "`n" | Should -BeNullOrEmpty
        # what the examples were meant to do happened
        (Get-HpcChildItem "$script:exDir/inputs").Name | Should -Contain 'a.dat'
        (Get-HpcChildItem "$script:exDir/restored" -Recurse).Name | Should -Contain 'run1/log.txt'
        (Get-HpcItem "$script:exDir/renamed.sh").Name | Should -Be 'renamed.sh'
        @(Get-HpcChildItem "$script:exDir/tmp").Count | Should -Be 0
        (Get-FileHash (Join-Path $script:exLocal 'data-copy.bin')).Hash | Should -Be (Get-FileHash (Join-Path $script:exLocal 'data.bin')).Hash
        @(Get-ChildItem (Join-Path $script:exLocal 'results')).Name | Should -Be @('r1.txt', 'r2.txt')
    }

    It 'every powershell block of docs/powershell.md runs' {
        $text = Get-Content (Join-Path $script:repo 'docs/powershell.md') -Raw
        $blocks = [regex]::Matches($text, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value }
        $blocks.Count | Should -BeGreaterThan 4
        $failures = @()
        foreach ($block in $blocks) {
            $lines = @($block -split '\r?\n' | Where-Object { $_.Trim() })
            if ($lines[0] -match '^Import-Module ') {
                # A block that imports the module is a new PowerShell of its own, run from the repository root.
                $expanded = Expand-Example $block
                $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "Set-Location '$script:repo'; `$ErrorActionPreference = 'Stop'; $expanded" 2>&1
                if ($LASTEXITCODE -ne 0) { $failures += "docs block`n    $expanded`n    $($out | Out-String)" }
                continue
            }
            foreach ($line in $lines) {
                if (-not (Test-Runnable $line)) { continue }
                $failures += Invoke-Example 'docs/powershell.md' $line
            }
        }
        ($failures | Where-Object { $_ }) -join "`n" | Should -BeNullOrEmpty
        (Get-HpcItem "$script:exDir/newname.sh").Name | Should -Be 'newname.sh'
        (Get-ChildItem (Join-Path $script:exLocal 'out')).Name | Should -Contain 'a.dat'
    }
}

Context 'prefix' {
    It 'Import-Module -Prefix F7t names the commands Get-F7t*; completion, formats and help work' {
        $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
        $envFile = if ($env:FIRECREST_CLUSTER_ENV) { $env:FIRECREST_CLUSTER_ENV } else { Join-Path $repo '.testenv/cluster.env' }
        $s = Get-HpcSession -Current
        $connect = if ("$($s.Mode)" -eq 'Remote') {
            "`$v = @{}; foreach (`$l in Get-Content '$envFile') { if (`$l -match '^([A-Z0-9_]+)=(.*)$') { `$v[`$Matches[1]] = `$Matches[2] } }
             Connect-F7tSession -Url '$($s.Target)' -TokenUrl `$v.OIDC_TOKEN_URL -ClientId `$v.DEMO_CLIENT_ID -ClientSecret (ConvertTo-SecureString `$v.DEMO_CLIENT_SECRET -AsPlainText -Force) | Out-Null"
        } else {
            "Connect-F7tSession -ConfigPath '$($s.Target)' -User '$($s.User)' | Out-Null"
        }
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path $repo 'Firecrest.psd1')' -Prefix F7t
$connect
function Complete([string] `$line) { @((TabExpansion2 `$line `$line.Length).CompletionMatches.CompletionText) }
[pscustomobject]@{
    Commands   = @(Get-Command -Module Firecrest | ForEach-Object Name)
    HpcSystem  = [bool] (Get-Command Get-HpcSystem -ErrorAction SilentlyContinue)
    Systems    = @(Get-F7tSystem | ForEach-Object Name)
    Table      = (Get-F7tSystem | Format-Table | Out-String)
    Partitions = Complete 'Submit-F7tJob -Partition de'
    Roots      = Complete 'Get-F7tChildItem /'
    Accounts   = Complete 'Submit-F7tJob -Account '
    Synopsis   = (Get-Help Get-F7tSystem).Synopsis
    Examples   = @((Get-Help Get-F7tChildItem -Examples).examples.example).Count
} | ConvertTo-Json -Depth 3
"@
        $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        $r = ($out | Out-String) | ConvertFrom-Json
        $r.Commands | Should -Contain 'Get-F7tSystem'
        $r.Commands | Should -Contain 'Connect-F7tSession'
        @($r.Commands | Where-Object { $_ -notlike '*-F7t*' }) | Should -BeNullOrEmpty
        $r.HpcSystem | Should -BeFalse
        $r.Systems | Should -Contain 'cluster'
        $r.Table | Should -Match 'Health'
        $r.Partitions | Should -Contain 'debug'
        $r.Roots | Should -Contain '/home/'
        $r.Accounts | Should -Contain 'hpcproj'
        $r.Synopsis | Should -Match 'systems'
        $r.Examples | Should -BeGreaterThan 0
    }
}

Context 'help' {
    It 'each cmdlet''s help matches its metadata: positions, switches, -WhatIf/-Confirm, common parameters, inputs, outputs, links' {
        $problems = foreach ($c in Get-Command -Module Firecrest -CommandType Cmdlet) {
            $h = Get-Help $c.Name -Full
            $syntax = ($h.syntax | Out-String)
            if ($syntax -match '<SwitchParameter>') { "$($c.Name): a switch shown with a value" }
            if ($syntax -notmatch '\[<CommonParameters>\]') { "$($c.Name): no common parameters" }
            if ($c.Parameters.ContainsKey('WhatIf') -and ($syntax -notmatch '\[-WhatIf\]' -or $syntax -notmatch '\[-Confirm\]')) { "$($c.Name): -WhatIf/-Confirm missing" }
            foreach ($set in $c.ParameterSets) {
                foreach ($p in $set.Parameters | Where-Object Position -ge 0) {
                    $hp = $h.parameters.parameter | Where-Object name -eq $p.Name
                    if ("$($hp.position)" -ne "$($p.Position)") { "$($c.Name) -$($p.Name): help position $($hp.position), metadata $($p.Position)" }
                    if ($syntax -notmatch "\[-$($p.Name)\]") { "$($c.Name) -$($p.Name): positional but not shown as [-$($p.Name)]" }
                }
            }
            foreach ($name in $c.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.Internal.CommonParameters].GetProperties().Name }) {
                if (-not ($h.parameters.parameter | Where-Object name -eq $name)) { "$($c.Name) -$($name): not in help" }
            }
            $outputs = @($h.returnValues.returnValue.type.name)
            foreach ($o in $c.OutputType | Where-Object { $_.Type -ne [void] }) { if ($o.Name -notin $outputs) { "$($c.Name): output $($o.Name) not in help" } }
            $piped = @($c.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [Parameter] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) } })
            $inputs = ($h.inputTypes | Out-String)
            foreach ($p in $piped) { if ($inputs -notmatch "-$($p.Name)\b") { "$($c.Name): pipeline parameter -$($p.Name) not in INPUTS" } }
            $links = @($h.relatedLinks.navigationLink)
            if ($c.HelpUri -notin $links.uri) { "$($c.Name): HelpUri not in RELATED LINKS" }
            if ('about_Firecrest' -notin $links.linkText) { "$($c.Name): no link to about_Firecrest" }
            if ($h.Synopsis -match '^\s*$|Get-Help could not') { "$($c.Name): no synopsis" }
        }
        $problems -join "`n" | Should -BeNullOrEmpty
    }
    It 'about_Firecrest covers connecting, sessions, paths, transfers, batch runs and errors' {
        $text = Get-Help about_Firecrest | Out-String
        foreach ($section in 'CONNECTING', 'SESSIONS', 'REMOTE PATHS', 'TRANSFERS', 'BATCH RUNS', 'ERRORS', 'Prefix F7t') {
            $text | Should -Match $section
        }
    }
    It 'the help file is generated at build time from the cmdlets (not kept in git)' {
        $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
        git -C $repo ls-files en-US | Should -BeNullOrEmpty
        $maml = Join-Path $repo 'en-US/Firecrest.PowerShell.dll-Help.xml'
        (Get-Item $maml).LastWriteTimeUtc | Should -BeGreaterOrEqual (Get-Item (Join-Path $repo 'artifacts/module/bin/Firecrest.PowerShell.dll')).LastWriteTimeUtc
    }
}
