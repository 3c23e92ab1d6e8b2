# Pipeline binding, typed objects, errors, tracing and sessions; dot-sourced by Cmdlets.Remote.Tests.ps1 and
# Cmdlets.Direct.Tests.ps1 inside their Describe. Expects $script:mode and a connected current session.

BeforeAll {
    $script:root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $script:manifest = Join-Path $script:root 'Firecrest.psd1'
    $envFile = if ($env:FIRECREST_CLUSTER_ENV) { $env:FIRECREST_CLUSTER_ENV } else { Join-Path $script:root '.testenv/cluster.env' }
    $script:clusterVars = @{}
    foreach ($line in Get-Content $envFile) { if ($line -match '^([A-Z0-9_]+)=(.*)$') { $script:clusterVars[$Matches[1]] = $Matches[2] } }
    $script:session = Get-HpcSession -Current
    $script:obase = "/home/fireuser/pso-$($script:mode.ToLower())-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $script:olocal = Join-Path ([IO.Path]::GetTempPath()) "firecrest-pso-$($script:mode)-$PID"
    New-Item -ItemType Directory -Force $script:olocal | Out-Null
    New-HpcItem $script:obase -ItemType Directory -Force | Out-Null
    # 9 and 10 bytes: as text "10" sorts before "9", as numbers after.
    [IO.File]::WriteAllBytes((Join-Path $script:olocal 'nine.dat'), [byte[]]::new(9))
    [IO.File]::WriteAllBytes((Join-Path $script:olocal 'ten.dat'), [byte[]]::new(10))
    Get-ChildItem $script:olocal -Filter *.dat | Send-HpcFile -Destination $script:obase | Out-Null
    Set-HpcItemPermission "$script:obase/nine.dat" -Mode 640 | Out-Null
}

AfterAll {
    Remove-HpcItem $script:obase -Recurse -ErrorAction SilentlyContinue -Session $script:session
    Remove-Item $script:olocal -Recurse -Force -ErrorAction SilentlyContinue
}

Context 'pipeline binding' {
    It 'jobs piped to Get-HpcJob, Wait-HpcJob and Stop-HpcJob bind by their JobId' {
        $jobs = 1..2 | ForEach-Object { Submit-HpcJob -Script "#!/bin/bash`nsleep 60" -WorkingDirectory $script:obase -Account hpcproj -Name "pso-pipe-$_" }
        $again = $jobs | Get-HpcJob -ErrorAction Stop
        @($again.JobId) | Should -Be @($jobs.JobId)
        Get-HpcJob -Name 'pso-pipe-*' | Where-Object JobId -in $jobs.JobId | Stop-HpcJob -ErrorAction Stop
        $ended = $jobs | Wait-HpcJob -Timeout 60
        @($ended.State | Sort-Object -Unique) | Should -Be @('Cancelled')
    }
    It 'script text piped to Submit-HpcJob binds -Script; a piped file is submitted as a file' {
        $fromText = "#!/bin/bash`necho piped-text" | Submit-HpcJob -WorkingDirectory $script:obase -Account hpcproj -Wait -Timeout 120 -ErrorAction Stop
        $fromText | Get-HpcJobOutput | Should -Match 'piped-text'
        $file = Join-Path $script:olocal 'piped.sh'
        Set-Content $file "#!/bin/bash`necho piped-file"
        $fromFile = Get-Item $file | Submit-HpcJob -WorkingDirectory $script:obase -Account hpcproj -Wait -Timeout 120 -ErrorAction Stop
        $fromFile | Get-HpcJobOutput | Should -Match 'piped-file'
    }
    It 'Get-HpcChildItem output piped to Get-HpcItem and Remove-HpcItem binds by FullName' {
        New-HpcItem "$script:obase/gone/a", "$script:obase/gone/b" -ItemType Directory -Force | Out-Null
        $listed = Get-HpcChildItem "$script:obase/gone"
        @((Get-HpcChildItem "$script:obase/gone" | Get-HpcItem).FullName) | Should -Be @($listed.FullName)
        Get-HpcChildItem "$script:obase/gone" | Remove-HpcItem -Recurse -Confirm:$false -ErrorAction Stop
        Get-HpcChildItem "$script:obase/gone" | Should -BeNullOrEmpty
    }
    It 'a Get-HpcFileHash result piped on binds its Path (text, not an engine type)' {
        $hash = Get-HpcFileHash "$script:obase/nine.dat"
        $hash.Path | Should -BeOfType [string]
        ($hash | Get-HpcItem).Size | Should -Be 9
    }
    It 'a session piped to a cmdlet is the session it uses' {
        (Get-HpcSession -Name $script:session.Name | Get-HpcSystem -ErrorAction Stop).Name | Should -Contain 'cluster'
        (Get-HpcSession -Name $script:session.Name | Get-HpcUserInfo).User.Name | Should -Be 'fireuser'
    }
}

Context 'typed objects' {
    It 'files have numeric sizes, dates, ls modes and octal modes; Sort-Object Size orders numerically' {
        $files = Get-HpcChildItem $script:obase | Where-Object Name -like '*.dat'
        $files[0].Size | Should -BeOfType [long]
        $files[0].LastModified | Should -BeOfType [datetime]
        ($files | Sort-Object Size).Name | Should -Be @('nine.dat', 'ten.dat')
        ($files | Sort-Object { "$($_.Size)" }).Name | Should -Be @('ten.dat', 'nine.dat') -Because 'the same sort on text differs'
        $item = Set-HpcItemPermission "$script:obase/ten.dat" -Mode 4751
        $item.Mode | Should -Be '-rwsr-x--x'
        $item.OctalMode | Should -Be '4751'
        (Get-HpcItem $script:obase).Mode | Should -Match '^d[r-][w-][x-]'
    }
    It 'Get-HpcItem -Stat gives the ls mode, the octal mode and dates instead of epoch numbers' {
        $st = Get-HpcItem "$script:obase/nine.dat" -Stat
        $st.Mode | Should -Be '-rw-r-----'
        $st.OctalMode | Should -Be '640'
        $st.Size | Should -Be 9
        $st.LastModified | Should -BeOfType [DateTimeOffset]
        $st.LastModified | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddDays(-1))
    }
    It 'a job has its state as an enum, its name in JSON, and an exit code only once ended' {
        $running = Submit-HpcJob -Script "#!/bin/bash`nsleep 60" -WorkingDirectory $script:obase -Account hpcproj
        $running.State | Should -BeOfType [Firecrest.PowerShell.Objects.HpcJobState]
        $running.ExitCode | Should -BeNullOrEmpty
        Stop-HpcJob $running.JobId
        $cancelled = Wait-HpcJob $running.JobId -Timeout 60
        $cancelled.State | Should -Be 'Cancelled'
        $cancelled.HasEnded | Should -BeTrue
        $cancelled.ExitCode | Should -BeNullOrEmpty -Because 'a cancelled job did not exit by itself'
        $done = Submit-HpcJob -Script "#!/bin/bash`nexit 3" -WorkingDirectory $script:obase -Account hpcproj -Wait -Timeout 120
        $done.State | Should -Be ([Firecrest.PowerShell.Objects.HpcJobState]::Failed)
        $done.ExitCode | Should -Be 3
        $done.StartTime | Should -BeOfType [DateTimeOffset]
        $json = $done | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $json.State | Should -Be 'Failed'
        $json.JobId | Should -Be $done.JobId
        "$done" | Should -Be $done.JobId
    }
    It 'nested objects print readably, never as type names' {
        $text = (Get-HpcUserInfo | Format-List | Out-String) + (Get-HpcSystem | Format-List | Out-String)
        $text | Should -Not -Match 'Firecrest\.Core\.Models'
        "$((Get-HpcUserInfo).User)" | Should -Match '^fireuser \(\d+\)$'
    }
    It 'every table view fits 80 columns and a listing shows whole names at that width' {
        [xml] $views = Get-Content (Join-Path (Split-Path (Get-Module Firecrest).Path) 'Firecrest.Format.ps1xml') -Raw
        foreach ($table in $views.Configuration.ViewDefinitions.View | Where-Object { $_.TableControl }) {
            $headers = @($table.TableControl.TableHeaders.TableColumnHeader)
            $fixed = ($headers | Where-Object Width | ForEach-Object { [int] $_.Width } | Measure-Object -Sum).Sum + $headers.Count - 1
            $fixed | Should -BeLessOrEqual 72 -Because "$($table.Name) must leave room for its last column"
        }
        $lines = (Get-HpcChildItem $script:obase | Out-String -Width 80) -split "`n"
        $lines | Where-Object { $_ -match 'nine\.dat' } | Should -Match '-rw-r-----\s+fireuser\s+\S+\s+9 \d{4}-\d\d-\d\d \d\d:\d\d nine\.dat'
    }
}

Context 'errors' {
    It 'creating an existing directory is ResourceExists with a sentence naming it, not mkdir text' {
        New-HpcItem $script:obase -ItemType Directory -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $err[0].TargetObject | Should -Be $script:obase
        "$($err[0])" | Should -Be "'$script:obase' already exists on cluster."
    }
    It 'cancelling an unknown job is ObjectNotFound naming the job, not scancel text' {
        Stop-HpcJob 999999 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be '999999'
        "$($err[0])" | Should -Match '^Job 999999 was not found on cluster'
    }
    It 'a refused submit has a TargetObject and a sentence naming the field' {
        Submit-HpcJob -Script "#!/bin/bash`ntrue" -WorkingDirectory $script:obase -Account nosuchaccount -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].TargetObject | Should -Not -BeNullOrEmpty
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($err[0])" | Should -Match "(?i)account.*'nosuchaccount'"
        "$($err[0])" | Should -Not -Match 'sbatch:|qsub:'
    }
    It 'a name without wildcards that matches nothing is ObjectNotFound; a wildcard matching nothing is silent' {
        Get-HpcSystem -System nosuch -ErrorVariable e1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $e1[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e1[0].TargetObject | Should -Be 'nosuch'
        Get-HpcPartition -Name nosuch -ErrorVariable e2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $e2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-HpcPartition -Name 'nosuch*' -ErrorVariable e3 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $e3.Count | Should -Be 0
        (Get-HpcPartition -Name 'deb*').Name | Should -Be 'debug'
    }
    It 'direct mode: Connect-HpcSession as a user without a key fails at connect, naming the user' {
        $e = { Connect-HpcSession -ConfigPath $script:clusterVars.FIRECREST_CONFIG -User nosuchuser -Name pso-nouser } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match "nosuchuser"
        $e.CategoryInfo.Category | Should -BeIn @('PermissionDenied', 'AuthenticationError')
        Get-HpcSession -Name pso-nouser -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Context 'tracing and waits' {
    It '-Verbose traces each call with its route or operation and duration' {
        $trace = @(Get-HpcSystem -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $expected = if ($script:mode -eq 'Remote') { '^GET /status/systems -> 200 OK in \d+ ms$' } else { '^Status\.GetSystems\(\) done in \d+ ms$' }
        $trace | Should -Match $expected
        @(Get-HpcSystem 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
    }
}

Context 'Ctrl+C' {
    BeforeAll {
        $script:connectLine = if ($script:mode -eq 'Remote') {
            "Connect-HpcSession -Url '$($script:session.Target)' -TokenUrl '$($script:clusterVars.OIDC_TOKEN_URL)' -ClientId '$($script:clusterVars.DEMO_CLIENT_ID)' -ClientSecret (ConvertTo-SecureString '$($script:clusterVars.DEMO_CLIENT_SECRET)' -AsPlainText -Force)"
        } else {
            "Connect-HpcSession -ConfigPath '$($script:clusterVars.FIRECREST_CONFIG)' -User fireuser"
        }
        # Runs $command in a child PowerShell connected like this suite, sends it SIGINT (what Ctrl+C sends, so its
        # pipeline stops as the console host's does) once $started says the command is under way; returns its output.
        function script:Stop-Child([string] $command, [scriptblock] $started) {
            $child = Join-Path $script:olocal "ctrlc-$([guid]::NewGuid().ToString('N')).ps1"
            "Import-Module '$script:manifest'; $script:connectLine | Out-Null; 'READY'; $command; 'NOT STOPPED'" | Set-Content $child
            $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-Process -Id $PID).Path)
            $arguments = @('-NoProfile', '-NonInteractive', '-File', $child)
            if ([IO.Path]::GetFileNameWithoutExtension($psi.FileName) -eq 'dotnet') { $arguments = @(Join-Path $PSHOME 'pwsh.dll') + $arguments }
            foreach ($a in $arguments) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardOutput = $true
            $p = [System.Diagnostics.Process]::Start($psi)
            try {
                $p.StandardOutput.ReadLine() | Should -Be 'READY'
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while (-not (& $started) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                kill -INT $p.Id
                $out = $p.StandardOutput.ReadToEnd()
                $p.WaitForExit(30000) | Should -BeTrue
                $out
            }
            finally {
                if (-not $p.HasExited) { $p.Kill() }
            }
        }
    }
    It 'stopping a batch run prints the command that resumes it' {
        $dir = "$script:obase/ctrlc"
        $run = Join-Path $script:olocal 'ctrlc.yaml'
        @"
system: cluster
defaults:
  account: hpcproj
  partition: debug
  workingDirectory: $dir
  resources: {nodes: 1, time: "00:02:00"}
jobs:
  slow: {script: "sleep 60"}
"@ | Set-Content $run
        try {
            $out = Stop-Child "Invoke-HpcBatch '$run' -Confirm:`$false" { Get-HpcJob | Where-Object WorkingDirectory -eq $dir }
        }
        finally {
            Get-HpcJob | Where-Object WorkingDirectory -eq $dir | Stop-HpcJob -ErrorAction SilentlyContinue
        }
        $out | Should -Not -Match 'NOT STOPPED'
        $out | Should -Match ([regex]::Escape("To continue the run: Invoke-HpcBatch -Path '$run' -Resume"))
    }
    It 'stopping an upload keeps its state, prints the command that resumes it, and that command finishes it' {
        $big = Join-Path $script:olocal 'stopped.bin'
        $bytes = [byte[]]::new(40MB)
        [Random]::new(11).NextBytes($bytes)
        [IO.File]::WriteAllBytes($big, $bytes)
        $out = Stop-Child "Get-Item '$big' | Send-HpcFile -Destination '$script:obase' -Account hpcproj" { Test-Path "$big.f7t-upload.json" }
        $out | Should -Not -Match 'NOT STOPPED'
        $out | Should -Match ([regex]::Escape("To resume, run the same command again: Send-HpcFile -Destination '$script:obase' -Account 'hpcproj' -LiteralPath '$big'"))
        Test-Path "$big.f7t-upload.json" | Should -BeTrue
        # Resuming also ends the staged ingress job, which would otherwise hold a CPU of the test cluster for its wait.
        Get-Item $big | Send-HpcFile -Destination $script:obase -Account hpcproj | Out-Null
        (Get-HpcFileHash "$script:obase/stopped.bin").Hash | Should -Be (Get-FileHash $big -Algorithm SHA256).Hash
        Test-Path "$big.f7t-upload.json" | Should -BeFalse
    }
    It 'stopping a download keeps its state, prints the command that resumes it, and that command finishes it' {
        $source = Join-Path $script:olocal 'download-source.bin'
        $bytes = [byte[]]::new(3MB)
        [Random]::new(12).NextBytes($bytes)
        [IO.File]::WriteAllBytes($source, $bytes)
        $remote = "$script:obase/download-source.bin"
        Send-HpcFile -LiteralPath $source -Destination $remote -Account hpcproj | Out-Null
        $local = Join-Path $script:olocal 'downloaded.bin'
        # The state file is written before the staging job runs, so the stop lands while the job is awaited.
        $out = Stop-Child "Receive-HpcFile -Path '$remote' -Destination '$local' -Account hpcproj" { Test-Path "$local.f7t-download.json" }
        $out | Should -Not -Match 'NOT STOPPED'
        $out | Should -Match ([regex]::Escape("To resume, run the same command again: Receive-HpcFile -Path '$remote' -Destination '$local' -Account 'hpcproj'"))
        Test-Path "$local.f7t-download.json" | Should -BeTrue
        Test-Path $local | Should -BeFalse
        Receive-HpcFile -Path $remote -Destination $local -Account hpcproj | Out-Null
        (Get-FileHash $local -Algorithm SHA256).Hash | Should -Be (Get-FileHash $source -Algorithm SHA256).Hash
        Test-Path "$local.f7t-download.json" | Should -BeFalse
    }
}

Context 'sessions' {
    It 'survive Import-Module -Force and are seen by thread jobs of the process' {
        Import-Module $script:manifest -Force
        (Get-HpcSession -Current).Name | Should -Be $script:session.Name
        $seen = Start-ThreadJob { Import-Module $using:manifest; (Get-HpcSession -Current).Name; (Get-HpcSystem).Name } | Receive-Job -Wait -AutoRemoveJob
        $seen | Should -Contain $script:session.Name
        $seen | Should -Contain 'cluster'
    }
    It 'a second connection stays beside the current one; Set-HpcSession and Connect-HpcSession -Default switch' {
        try {
            $second = Connect-HpcSession -ConfigPath $script:clusterVars.FIRECREST_CONFIG -User fireuser -Name pso-second
            $second.IsCurrent | Should -BeFalse
            (Get-HpcSession -Current).Name | Should -Be $script:session.Name
            Set-HpcSession pso-second
            (Get-HpcSession -Current).Name | Should -Be 'pso-second'
            (Get-HpcUserInfo).User.Name | Should -Be 'fireuser'
            $script:session | Set-HpcSession
            (Get-HpcSession -Current).Name | Should -Be $script:session.Name
            Connect-HpcSession -ConfigPath $script:clusterVars.FIRECREST_CONFIG -User fireuser -Name pso-second -Default | Out-Null
            (Get-HpcSession -Current).Name | Should -Be 'pso-second'
            Set-HpcSession -Name nosuch -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
        finally {
            Disconnect-HpcSession -Name pso-second -ErrorAction SilentlyContinue
            Set-HpcSession -Name $script:session.Name
        }
    }
    It 'shows the user the session acts as' {
        $script:session.User | Should -Be (Get-HpcUserInfo).User.Name
    }
}
