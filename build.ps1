#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, packs and demonstrates FirecrestAutomation.

.DESCRIPTION
    Run with the pinned PowerShell from the local tool manifest:
        dotnet tool restore && dotnet pwsh ./build.ps1 <task>

    Tasks:
        build                     Build the solution and lay out the PowerShell module.
        test                      Bring the local cluster up, build, run xunit and Pester; print "N passed, N failed".
        test -Unit                Build and run only the unit tests (Core, Server, Mcp; no cluster, no Pester).
        demo [-Background]        Bring the local cluster up and run the server on http://127.0.0.1:$FIRECREST_PORT (8000).
        demo -Replicas 2 [-Background]
                                  The same port served by HAProxy in front of 2 server replicas sharing a Redis
                                  (deploy/testenv/replicas.sh; ports REDIS_PORT 6380, REPLICA_BASE_PORT 8100 + n).
        cluster up|down|status    Manage the local test cluster (deploy/testenv/cluster.sh).
        bench                     Run the benchmarks in bench/ against the local cluster; writes docs/benchmarks.md.
        bench -Only 1,2           Run only the named items (1-7, E, R); prints the figures, never writes docs/benchmarks.md.
        bench -Compare old.json   Also compare with the figures of an earlier run (docs/benchmarks.json is written beside
                                  the Markdown); flags a figure that moved by more than its min-max spread. -Rounds N
                                  sets the rounds of every item (3).
        bench -Soak [-SoakMinutes 30] [-SoakClients 100]
                                  Soak run (not part of the default run): many clients for a long time, server memory,
                                  descriptors and errors sampled every 10 s; writes docs/soak.md.
        pack                      Create the module folder, the MCP .NET tool, the server publish output and the streamer in artifacts/.

.EXAMPLE
    dotnet pwsh ./build.ps1 test -Filter 'FullyQualifiedName~Ssh'

.EXAMPLE
    dotnet pwsh ./build.ps1 bench -Soak -SoakMinutes 3
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'demo', 'cluster', 'bench', 'pack')]
    [string] $Task = 'build',

    [Parameter(Position = 1)]
    [ValidateSet('up', 'down', 'status', '')]
    [string] $Action = '',

    # demo: return once the server answers, leaving it running (pid in .testenv/server.pid).
    [switch] $Background,

    # demo: run this many server replicas behind HAProxy with Redis as shared state (1: one server, no balancer).
    [ValidateRange(1, 16)]
    [int] $Replicas = 1,

    # test: dotnet test --filter expression; Pester runs only when no filter is given or -Pester is set.
    [string] $Filter,

    # test: run only the Pester suite.
    [switch] $PesterOnly,

    # test: only the unit test projects, without the local cluster (tests tagged Category=Cluster are left out).
    [switch] $Unit,

    # test: skip the fault-injection phase (tests that stop and restart cluster services, run alone at the end).
    [switch] $SkipFaults,

    # bench: run only these items (e.g. 1,2 or E); a partial run prints its figures and writes no file.
    [string[]] $Only,

    # bench: figures JSON of an earlier run to compare with (flags moves larger than the spread of the rounds).
    [string] $Compare,

    # bench: rounds of every repeated item (median and min-max over them); 3 unless given.
    [int] $Rounds = 0,

    # bench: the soak run alone (bench item "soak"), written to docs/soak.md.
    [switch] $Soak,

    # bench -Soak: length of the load in minutes.
    [double] $SoakMinutes = 30,

    # bench -Soak: concurrent closed-loop clients.
    [int] $SoakClients = 100,

    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }
$Root = $PSScriptRoot
$Artifacts = Join-Path $Root 'artifacts'
$TestEnvDir = Join-Path $Root '.testenv'
$ClusterEnv = if ($env:FIRECREST_CLUSTER_ENV) { $env:FIRECREST_CLUSTER_ENV } else { Join-Path $TestEnvDir 'cluster.env' }
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Cluster([string] $What, [string[]] $Arguments = @()) {
    $script = Join-Path $Root 'deploy/testenv/cluster.sh'
    & bash $script $What @Arguments | Out-Host
    return $LASTEXITCODE
}

function Read-ClusterEnv {
    $vars = @{}
    if (Test-Path $ClusterEnv) {
        foreach ($line in Get-Content $ClusterEnv) {
            if ($line -match '^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$') { $vars[$Matches[1]] = $Matches[2] }
        }
    }
    $vars
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $Root 'FirecrestAutomation.sln'), '-c', $Configuration, '--nologo', '-v', 'quiet', '-clp:NoSummary;ErrorsOnly')
    Publish-Module
    Publish-Streamer
}

# The streamer that streamer transfer jobs run on the compute nodes: one self-contained file (nothing to install there)
# in artifacts/streamer, and, when the local cluster is up, at its STREAMER_PATH (cluster.env), where the demo system
# "streamer" points its transfer jobs.
function Publish-Streamer {
    $out = Join-Path $Artifacts 'streamer'
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/Streamer/Firecrest.Streamer.csproj'), '-c', $Configuration, '-r', 'linux-x64', '--self-contained',
        '-p:PublishSingleFile=true', '-o', $out, '--nologo', '-v', 'quiet', '-clp:NoSummary;ErrorsOnly')
    $target = (Read-ClusterEnv)['STREAMER_PATH']
    if ($target -and (Test-Path -LiteralPath (Split-Path $target))) {
        # Copied beside, then renamed over: a job still running the old file keeps it.
        Copy-Item -LiteralPath (Join-Path $out 'firecrest-streamer') -Destination "$target.new" -Force
        Invoke-Native chmod @('755', "$target.new")
        Move-Item -LiteralPath "$target.new" -Destination $target -Force
    }
}

# The module's DLLs go to artifacts/module/bin; Firecrest.psd1 at the top loads them from there. Its help is generated
# from the built cmdlets into en-US beside the manifest (where PowerShell looks), in a child process that imports the
# module (so this process keeps no module DLL loaded).
function Publish-Module {
    $out = Join-Path $Artifacts 'module/bin'
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/PSModule/Firecrest.PowerShell.csproj'), '-c', $Configuration, '-o', $out, '--nologo', '-v', 'quiet', '-clp:NoSummary;ErrorsOnly')
    Invoke-Native dotnet @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'src/PSModule/help/Build-Help.ps1'), '-Root', $Root)
}

function Get-PesterModulePath {
    $proj = Join-Path $Root 'tests/PSModule/PesterRestore.proj'
    Invoke-Native dotnet @('restore', $proj, '--nologo', '-v', 'quiet')
    $nugetRoot = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $psd1 = Join-Path $nugetRoot 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester not found at $psd1 after restore" }
    $psd1
}

function Get-TrxCounts([string] $Dir) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $Dir -Filter *.trx -ErrorAction SilentlyContinue) {
        [xml] $x = Get-Content -LiteralPath $trx.FullName -Raw
        $c = $x.TestRun.ResultSummary.Counters
        $passed += [int] $c.passed
        $failed += [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        $skipped += [int] $c.notExecuted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

# Names each failed test with the first lines of its message and the test file's line that failed, next to the final counts, so that the tail of a CI log
# says what failed (the TRX files of every phase and Pester's NUnit files; at most 100 lines).
function Write-FailedTests([string] $Dir) {
    $lines = [System.Collections.Generic.List[string]]::new()
    foreach ($trx in Get-ChildItem -LiteralPath $Dir -Filter *.trx -Recurse -ErrorAction SilentlyContinue) {
        [xml] $x = Get-Content -LiteralPath $trx.FullName -Raw
        foreach ($r in @($x.TestRun.Results.UnitTestResult)) {
            if ($null -eq $r -or $r.outcome -notin 'Failed', 'Error', 'Timeout', 'Aborted') { continue }
            $message = $r.SelectSingleNode("*[local-name()='Output']/*[local-name()='ErrorInfo']/*[local-name()='Message']")
            $first = if ($message) { (($message.InnerText -split "`n" | ForEach-Object Trim | Where-Object { $_ } | Select-Object -First 4) -join ' | ') } else { '' }
            if ($first.Length -gt 600) { $first = $first.Substring(0, 600) + '…' }
            $stack = $r.SelectSingleNode("*[local-name()='Output']/*[local-name()='ErrorInfo']/*[local-name()='StackTrace']")
            $at = if ($stack) { $stack.InnerText -split "`n" | Where-Object { $_ -match '/tests/.+\.cs:line \d+' } | Select-Object -First 1 } else { $null }
            $where = if ($at -and $at -match '(tests/.+\.cs:line \d+)') { " [$($Matches[1])]" } else { '' }
            $lines.Add("FAILED $($r.testName) ($($r.duration)): $first$where")
        }
    }
    foreach ($nunit in Get-ChildItem -LiteralPath $Dir -Filter 'pester-*.xml' -ErrorAction SilentlyContinue) {
        [xml] $n = Get-Content -LiteralPath $nunit.FullName -Raw
        foreach ($case in $n.SelectNodes("//test-case[@result='Failure']")) { $lines.Add("FAILED (Pester) $($case.name)") }
    }
    if ($lines.Count -eq 0) { return }
    Write-Host "Failed tests ($($lines.Count)):"
    $lines | Select-Object -First 100 | ForEach-Object { Write-Host $_ }
    if ($lines.Count -gt 100) { Write-Host "… and $($lines.Count - 100) more (artifacts/test-results)" }
}

# The unit test projects read only files of the repository (tests/Fixtures) and need no cluster.
function Invoke-UnitTests {
    $results = Join-Path $Artifacts 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Force $results | Out-Null
    $unitFilter = 'Category!=Cluster&Category!=Faults'
    $exit = 0
    foreach ($project in 'Core', 'Server', 'Mcp') {
        $csproj = Join-Path $Root "tests/$project.Tests/Firecrest.$project.Tests.csproj"
        Invoke-Native dotnet @('build', $csproj, '-c', $Configuration, '--nologo', '-v', 'quiet', '-clp:NoSummary;ErrorsOnly')
        & dotnet test $csproj -c $Configuration --no-build --nologo --logger trx --logger 'console;verbosity=minimal' `
            --results-directory (Join-Path $results $project) --filter $(if ($Filter) { "($Filter)&$unitFilter" } else { $unitFilter })
        if ($LASTEXITCODE -ne 0) { $exit = $LASTEXITCODE }
    }
    $x = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($project in 'Core', 'Server', 'Mcp') {
        $c = Get-TrxCounts (Join-Path $results $project)
        $x.Passed += $c.Passed; $x.Failed += $c.Failed; $x.Skipped += $c.Skipped
    }
    if ($exit -ne 0 -and $x.Failed -eq 0) { $x.Failed = 1; Write-Warning "dotnet test exited $exit without a failed test in the TRX files" }
    Write-FailedTests $results
    Write-Host "$($x.Passed) passed, $($x.Failed) failed, $($x.Skipped) skipped"
    if ($x.Failed -gt 0) { exit 1 }
}

# A trivial job must finish before the suites start. A node that slurmctld lists but no slurmd serves (or a queue
# blocked by older jobs) leaves every job pending, and each test would wait out its own timeout for an hour.
function Assert-ClusterRunsJobs {
    $out = & timeout 120 sbatch --parsable --wait -t 1 -o /dev/null -J firecrest-cluster-check --chdir /tmp --wrap true 2>&1
    if ($LASTEXITCODE -eq 0) { return }
    & scancel --name firecrest-cluster-check 2>&1 | Out-Null
    $node = (& sinfo -h -N -o '%N %T %E' 2>&1) -join '; '
    $queue = (& squeue -h -o '%i %u %T %r' 2>&1 | Select-Object -First 5) -join '; '
    Write-Host "The local cluster does not run jobs: a trivial job did not finish within 120 s ($($out -join ' '))."
    Write-Host "Node: $node. Queue (first 5): $queue"
    Write-Host '0 passed, 1 failed, 0 skipped'
    exit 1
}

# Pester on tests/PSModule in two child pwsh processes at once (the module under test loads in a fresh process): the
# direct-mode suite, and every other file (remote mode and the demo, which start servers one after the other). The
# suites work in remote directories named by mode and process and mostly wait on the cluster, so together they take
# about the longer one's time. Each writes its own log and NUnit file (pester-<group>.xml); the counts are summed.
function Invoke-PesterTests([string] $results) {
    $pester = Get-PesterModulePath
    $dir = Join-Path $Root 'tests/PSModule'
    $all = @(Get-ChildItem $dir -Filter '*.Tests.ps1' | ForEach-Object FullName)
    $direct = @($all | Where-Object { (Split-Path $_ -Leaf) -eq 'Cmdlets.Direct.Tests.ps1' })
    $groups = [ordered]@{ direct = $direct; others = @($all | Where-Object { $_ -notin $direct }) }
    $runs = foreach ($name in $groups.Keys) {
        $paths = ($groups[$name] | ForEach-Object { "'$_'" }) -join ', '
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester' -MinimumVersion 5.7.1
`$c = New-PesterConfiguration
`$c.Run.Path = @($paths)
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Detailed'
`$c.Output.RenderMode = 'Plaintext'
`$c.TestResult.Enabled = `$true
`$c.TestResult.OutputFormat = 'NUnitXml'
`$c.TestResult.OutputPath = '$(Join-Path $results "pester-$name.xml")'
`$r = Invoke-Pester -Configuration `$c
"PESTER-COUNTS `$(`$r.PassedCount) `$(`$r.FailedCount) `$(`$r.SkippedCount)"
"@
        $log = Join-Path $results "pester-$name.log"
        $start = [System.Diagnostics.ProcessStartInfo]::new('bash')
        foreach ($a in @('-c', 'exec dotnet "$1" -NoProfile -NonInteractive -Command "$2" > "$0" 2>&1', $log, (Join-Path $PSHOME 'pwsh.dll'), $script)) {
            $start.ArgumentList.Add($a)
        }
        [pscustomobject]@{ Name = $name; Log = $log; Process = [System.Diagnostics.Process]::Start($start) }
    }
    $p = [pscustomobject]@{ PassedCount = 0; FailedCount = 0; SkippedCount = 0 }
    try {
        foreach ($run in $runs) { $run.Process.WaitForExit() }
    }
    finally {
        # Stopped early (Ctrl+C): the runs this function started go too.
        foreach ($run in $runs) { if (-not $run.Process.HasExited) { $run.Process.Kill($true) } }
    }
    foreach ($run in $runs) {
        $out = @(Get-Content $run.Log)
        Write-Host "--- Pester ($($run.Name)): $($groups[$run.Name] | ForEach-Object { Split-Path $_ -Leaf })"
        $out | Where-Object { $_ -notmatch '^PESTER-COUNTS' } | ForEach-Object { Write-Host $_ }
        $line = $out | Where-Object { $_ -match '^PESTER-COUNTS' } | Select-Object -Last 1
        if ($line) {
            $f = $line -split ' '
            $p.PassedCount += [int] $f[1]; $p.FailedCount += [int] $f[2]; $p.SkippedCount += [int] $f[3]
        } else {
            $p.FailedCount += 1; Write-Warning "Pester ($($run.Name)) did not report its counts (exit $($run.Process.ExitCode))"
        }
    }
    $p
}

function Invoke-Tests {
    if ($Unit) { Invoke-UnitTests; return }
    $rc = Invoke-Cluster 'up'
    if ($rc -ne 0) { throw "cluster up failed (exit $rc)" }
    Assert-ClusterRunsJobs
    $env:FIRECREST_CLUSTER_ENV = $ClusterEnv
    Invoke-Build

    $results = Join-Path $Artifacts 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Force $results | Out-Null

    $x = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $xunitExit = 0
    # The native server compiles beside the tests (about 4 minutes of a 2-core machine's time, at the lowest priority);
    # its own pass comes last. No test bounds a duration by wall clock, so a loaded machine slows them, it does not fail them.
    $publish = if (-not $Filter -and -not $PesterOnly) { Start-ServerPublish (Join-Path $Artifacts 'native-server') }
    $publishFailed = 0
    try {
        if (-not $PesterOnly) {
            $testArgs = @('test', (Join-Path $Root 'FirecrestAutomation.sln'), '-c', $Configuration, '--no-build', '--nologo',
                '--logger', 'trx', '--logger', 'console;verbosity=normal', '--results-directory', $results)
            # Fault tests stop cluster services, so they never run beside the others: a phase of their own, after.
            $testArgs += @('--filter', $(if ($Filter) { "($Filter)&Category!=Faults" } else { 'Category!=Faults' }))
            & dotnet @testArgs
            $xunitExit = $LASTEXITCODE
        }

        $p = if (-not $Filter -or $PesterOnly) { Invoke-PesterTests $results } else { [pscustomobject]@{ PassedCount = 0; FailedCount = 0; SkippedCount = 0 } }

        if (-not $PesterOnly) {
            $nativeExe = $null
            if ($publish) {
                try { $nativeExe = Complete-ServerPublish $publish }
                catch { Write-Warning $_; $publishFailed = 1 }
            }
            if (-not $Filter -and -not $SkipFaults) {
                & dotnet test (Join-Path $Root 'tests/Integration.Tests/Firecrest.Integration.Tests.csproj') -c $Configuration --no-build --nologo `
                    --logger trx --logger 'console;verbosity=normal' --results-directory (Join-Path $results 'faults') --filter 'Category=Faults'
                if ($LASTEXITCODE -ne 0) { $xunitExit = $LASTEXITCODE }
                # Whatever a fault test left stopped comes back before the cluster is used again.
                $rc = Invoke-Cluster 'up'
                if ($rc -ne 0) { throw "cluster up after the fault tests failed (exit $rc)" }
            }
            if ($nativeExe) { $xunitExit = Invoke-NativeServerTests $nativeExe (Join-Path $results 'native') $xunitExit }
            $x = Get-TrxCounts $results
            foreach ($phase in 'faults', 'native') {
                $xf = Get-TrxCounts (Join-Path $results $phase)
                $x.Passed += $xf.Passed; $x.Failed += $xf.Failed; $x.Skipped += $xf.Skipped
            }
            if ($xunitExit -ne 0 -and $x.Failed -eq 0) { $x.Failed = 1; Write-Warning "dotnet test exited $xunitExit without a failed test in the TRX files" }
        }
    }
    finally { Stop-ServerPublish $publish }

    Write-FailedTests $results
    $passed = $x.Passed + $p.PassedCount
    $failed = $x.Failed + $p.FailedCount + $publishFailed
    $skipped = $x.Skipped + $p.SkippedCount
    Write-Host "xunit: $($x.Passed) passed, $($x.Failed) failed, $($x.Skipped) skipped; Pester: $($p.PassedCount) passed, $($p.FailedCount) failed, $($p.SkippedCount) skipped"
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

# The tests that start the server as a process (trait Server=Process: MCP over HTTP through the TypeScript SDK and the
# Inspector, remote mode, the curl examples of docs/curl.md) again, against the natively compiled server as pack ships it
# ($server, the executable).
function Invoke-NativeServerTests([string] $server, [string] $resultsDir, [int] $exitSoFar) {
    $env:FIRECREST_SERVER = $server
    try {
        foreach ($project in 'tests/Mcp.Tests/Firecrest.Mcp.Tests.csproj', 'tests/Integration.Tests/Firecrest.Integration.Tests.csproj') {
            & dotnet test (Join-Path $Root $project) -c $Configuration --no-build --nologo --logger trx --logger 'console;verbosity=normal' `
                --results-directory $resultsDir --filter 'Server=Process' | Out-Host
            if ($LASTEXITCODE -ne 0) { $exitSoFar = $LASTEXITCODE }
        }
    }
    finally { Remove-Item Env:FIRECREST_SERVER -ErrorAction Ignore }
    $exitSoFar
}

function Start-Demo {
    $rc = Invoke-Cluster 'up'
    if ($rc -ne 0) { throw "cluster up failed (exit $rc)" }
    $vars = Read-ClusterEnv
    $port = if ($env:FIRECREST_PORT) { $env:FIRECREST_PORT } else { '8000' }
    $url = "http://127.0.0.1:$port"
    Invoke-Native dotnet @('build', (Join-Path $Root 'src/Server/Firecrest.Server.csproj'), '-c', $Configuration, '--nologo', '-v', 'quiet', '-clp:NoSummary;ErrorsOnly')
    $dll = Join-Path $Root "src/Server/bin/$Configuration/net10.0/Firecrest.Server.dll"
    $env:YAML_CONFIG_FILE = $vars.FIRECREST_CONFIG
    $env:ASPNETCORE_URLS = $url
    $env:ASPNETCORE_ENVIRONMENT = 'Production'

    $pidFile = if ($env:FIRECREST_DEMO_PIDFILE) { $env:FIRECREST_DEMO_PIDFILE } else { Join-Path $TestEnvDir 'server.pid' }
    # Whichever demo ran before (one server or replicas, its files beside the pid file) gives the port up first.
    $replicasScript = Join-Path $Root 'deploy/testenv/replicas.sh'
    if (-not $env:REPLICAS_DIR) { $env:REPLICAS_DIR = Join-Path (Split-Path $pidFile -Parent) 'replicas' }
    $env:FIRECREST_PORT = $port
    if (Test-Path $env:REPLICAS_DIR) { Invoke-Native bash @($replicasScript, 'down') }
    if (Test-Path $pidFile) {
        $old = Get-Content $pidFile -Raw
        $proc = Get-Process -Id ([int] $old) -ErrorAction SilentlyContinue
        if ($proc -and $proc.ProcessName -eq 'dotnet') { Write-Host "stopping the demo server started before (pid $old)"; Stop-Process -Id $proc.Id; $proc.WaitForExit(10000) | Out-Null }
        Remove-Item $pidFile -Force
    }

    # No secret or token is printed: the commands read the client secret from cluster.env (mode 600, root only).
    $envFile = Join-Path $TestEnvDir 'cluster.env'
    $howto = @"

FirecREST server on $url (system 'cluster', config $($vars.FIRECREST_CONFIG))
  . $envFile
  TOKEN=`$(curl -s -u "`$DEMO_CLIENT_ID:`$DEMO_CLIENT_SECRET" -d grant_type=client_credentials "`$OIDC_TOKEN_URL" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -s -H "Authorization: Bearer `$TOKEN" $url/status/systems
PowerShell:
  Import-Module ./Firecrest.psd1
  Connect-HpcSession -Url $url -TokenUrl $($vars.OIDC_TOKEN_URL) -ClientId $($vars.DEMO_CLIENT_ID) -ClientSecret (ConvertTo-SecureString ((Select-String '^DEMO_CLIENT_SECRET=(.*)' $envFile).Matches[0].Groups[1].Value) -AsPlainText)
  Get-HpcSystem
"@
    if ($Replicas -gt 1) {
        $env:REPLICAS = "$Replicas"
        $env:SERVER_DLL = $dll
        Invoke-Native bash @($replicasScript, 'up')
        Write-Host $howto
        Write-Host "$Replicas replicas behind HAProxy; logs and pids in $($env:REPLICAS_DIR) (stop: REPLICAS_DIR=$($env:REPLICAS_DIR) $replicasScript down)"
        if ($Background) { return }
        try {
            Write-Host 'Ctrl+C stops the replicas, HAProxy and Redis.'
            while ($true) { Start-Sleep -Seconds 3600 }
        } finally {
            & bash $replicasScript down
        }
        return
    }
    if ($Background) {
        $log = [IO.Path]::ChangeExtension($pidFile, '.log')
        # The log may hold user names and paths: created mode 600 before the server writes to it (truncation keeps the mode).
        foreach ($f in @($log, "$log.err")) {
            if (-not (Test-Path $f)) { [IO.File]::WriteAllText($f, '') }
            [IO.File]::SetUnixFileMode($f, [IO.UnixFileMode]'UserRead, UserWrite')
        }
        $proc = Start-Process -FilePath 'dotnet' -ArgumentList @($dll) -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
        Set-Content -Path $pidFile -Value $proc.Id
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ($true) {
            try {
                $r = Invoke-WebRequest -Uri "$url/status/liveness/" -TimeoutSec 2 -SkipHttpErrorCheck
                if ($r.StatusCode -eq 200) { break }
            } catch { }
            if ($proc.HasExited) { Get-Content $log, "$log.err" -ErrorAction SilentlyContinue | Select-Object -Last 40; throw "server exited with code $($proc.ExitCode)" }
            if ([DateTime]::UtcNow -gt $deadline) { throw "server did not answer $url/status/liveness/ within 60 s (log: $log)" }
            Start-Sleep -Milliseconds 200
        }
        Write-Host $howto
        Write-Host "server pid $($proc.Id) (stop: kill $($proc.Id)), log $log"
    } else {
        Write-Host $howto
        & dotnet $dll
    }
}

function Invoke-Bench {
    $rc = Invoke-Cluster 'up'
    if ($rc -ne 0) { throw "cluster up failed (exit $rc)" }
    $env:FIRECREST_CLUSTER_ENV = $ClusterEnv
    $proj = Join-Path $Root 'bench/Firecrest.Bench/Firecrest.Bench.csproj'
    if (-not (Test-Path $proj)) { throw "no benchmark project at $proj yet" }
    if ($Soak -and $Only) { throw "give either -Soak or -Only, not both" }
    $benchArgs = if ($Soak) {
        @('--only', 'soak', '--soak-minutes', $SoakMinutes.ToString([cultureinfo]::InvariantCulture), '--soak-clients', "$SoakClients",
            '--soak-out', (Join-Path $Root 'docs/soak.md'))
    }
    elseif ($Only) {
        # A partial run never rewrites docs/benchmarks.md: it prints its figures only.
        @('--only', (($Only | ForEach-Object { $_ -split ',' } | Where-Object { $_ }) -join ','))
    }
    else { @('--out', (Join-Path $Root 'docs/benchmarks.md')) }
    if ($Compare) { $benchArgs += @('--compare', (Resolve-Path $Compare).Path) }
    # Item 7's transfer jobs run the streamer from the cluster's STREAMER_PATH.
    Publish-Streamer
    # Every item, cold start included, measures the server as pack publishes it (native).
    $server = Publish-Server (Join-Path $Artifacts 'bench-server')
    $benchArgs += @('--server', $server)
    if ($Rounds -gt 0) { $benchArgs += @('--rounds', "$Rounds") }
    try { Invoke-Native dotnet (@('run', '--project', $proj, '-c', 'Release', '--') + $benchArgs) }
    finally {
        # Every bench job is named f7t-bench-…: left in accounting, thousands of them slow the tests' job listings.
        $null = Invoke-Cluster 'forget-jobs' @('f7t-bench-')
    }
}

function Invoke-Pack {
    Invoke-Build
    $pack = Join-Path $Artifacts 'pack'
    if (Test-Path $pack) { Remove-Item $pack -Recurse -Force }
    $mod = Join-Path $pack 'Firecrest'
    New-Item -ItemType Directory -Force $mod | Out-Null
    Copy-Item (Join-Path $Artifacts 'module/bin') (Join-Path $mod 'bin') -Recurse
    # PowerShell reads a binary module's help from <module base>/<culture>, beside the manifest.
    Copy-Item (Join-Path $Root 'en-US') (Join-Path $mod 'en-US') -Recurse
    (Get-Content (Join-Path $Root 'Firecrest.psd1') -Raw).Replace('artifacts/module/bin/', 'bin/') | Set-Content (Join-Path $mod 'Firecrest.psd1')
    Invoke-Native dotnet @('pack', (Join-Path $Root 'src/Mcp/Firecrest.Mcp.csproj'), '-c', $Configuration, '-o', $pack, '--nologo', '-v', 'quiet')
    $null = Publish-Server (Join-Path $pack 'server')
    # The streamer of streamer transfer jobs, for the compute nodes (data_transfer.streamer_path).
    New-Item -ItemType Directory -Force (Join-Path $pack 'streamer') | Out-Null
    Copy-Item (Join-Path $Artifacts 'streamer/firecrest-streamer') (Join-Path $pack 'streamer/firecrest-streamer')
    Write-Host "packed into $pack"
}

# The server as deployed: compiled to native code (PublishAot in its project) for this machine's runtime identifier, one
# executable with no JIT and no IL to load. Against the composite ReadyToRun publish it replaced (full bench on 2 cores):
# a peak resident set of 122 MiB against 245 MiB under 500 clients at the same throughput, and the first authenticated
# answer 227 ms after the start against 688 ms. The native linker is clang.
# Its debug symbols (Firecrest.Server.dbg, over 100 MB) stay out of the output; the documentation files stay (the MCP
# tools' schemas read their descriptions from them). Returns the executable's path.
function Publish-Server([string] $out) {
    Complete-ServerPublish (Start-ServerPublish $out)
}

# Starts the native compile in the background, below normal priority, and returns the running publish. It compiles a
# copy of the sources under artifacts/native-build: a restore for a runtime identifier rewrites a project's assets file,
# so a publish in the repository's own obj folders breaks, or is broken by, any build or test run beside it.
function Start-ServerPublish([string] $out) {
    Install-NativeToolchain
    $tree = Join-Path $Artifacts 'native-build'
    New-Item -ItemType Directory -Force $tree | Out-Null
    # The copy keeps its obj and bin folders between runs (an incremental compile) and drops source files since deleted.
    Invoke-Native bash @('-c', 'set -eo pipefail; [ ! -d "$2/src" ] || find "$2/src" -type f -not -path "*/obj/*" -not -path "*/bin/*" -delete
        tar -C "$1" --exclude=bin --exclude=obj -cf - src Directory.Build.props Directory.Packages.props | tar -C "$2" -xf -', 'copy', $Root, $tree)
    if (Test-Path $out) { Remove-Item $out -Recurse -Force }
    $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $log = Join-Path $tree 'publish.log'
    $start = [System.Diagnostics.ProcessStartInfo]::new('bash')
    foreach ($a in @('-c', 'exec nice -n 19 dotnet "$@" > "$0" 2>&1', $log, 'publish', (Join-Path $tree 'src/Server/Firecrest.Server.csproj'),
            '-c', $Configuration, '-o', $out, '-r', $rid, '-p:StripSymbols=true', '--nologo', '-v', 'quiet', '-clp:NoSummary;ErrorsOnly')) {
        $start.ArgumentList.Add($a)
    }
    [pscustomobject]@{ Process = [System.Diagnostics.Process]::Start($start); Out = $out; Log = $log }
}

# Waits for a publish that Start-ServerPublish started; returns the executable's path, or throws with the compiler's output.
function Complete-ServerPublish($publish) {
    $publish.Process.WaitForExit()
    if ($publish.Process.ExitCode -ne 0) {
        Get-Content $publish.Log | Out-Host
        throw "the native publish of the server failed with exit code $($publish.Process.ExitCode) ($($publish.Log))"
    }
    # Symbols, and the stdio tool's launcher that the project reference copies: the server needs neither.
    Get-ChildItem $publish.Out -Include '*.dbg', '*.pdb', 'Firecrest.Mcp', 'Firecrest.Mcp.runtimeconfig.json' -Recurse | Remove-Item -Force
    Join-Path $publish.Out 'Firecrest.Server'
}

# Stops a publish this script started (by its PID) when the tests end early.
function Stop-ServerPublish($publish) {
    if ($publish -and -not $publish.Process.HasExited) { $publish.Process.Kill($true) }
}

# clang and zlib's headers, which the native compilation of the server links with (Debian packages).
function Install-NativeToolchain {
    if ((Get-Command clang -ErrorAction Ignore) -and (Test-Path '/usr/include/zlib.h')) { return }
    Write-Host 'installing clang and zlib1g-dev (the native linker of the server)'
    Invoke-Native apt-get @('update', '-o', 'DPkg::Lock::Timeout=300') | Out-Host
    Invoke-Native apt-get @('install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300', 'clang', 'zlib1g-dev') | Out-Host
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' { Invoke-Tests }
    'demo' { Start-Demo }
    'cluster' {
        if (-not $Action) { throw "cluster needs an action: up, down or status" }
        $rc = Invoke-Cluster $Action
        exit $rc
    }
    'bench' { Invoke-Bench }
    'pack' { Invoke-Pack }
}
