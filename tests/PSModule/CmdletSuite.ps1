# The one cmdlet suite, dot-sourced by Cmdlets.Remote.Tests.ps1 and Cmdlets.Direct.Tests.ps1 inside their Describe.
# Expects $script:mode ('Remote' or 'Direct') and a connected current session made in their BeforeAll.

BeforeAll {
    $script:base = "/home/fireuser/ps-$($script:mode.ToLower())-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $script:local = Join-Path ([IO.Path]::GetTempPath()) "firecrest-ps-$($script:mode)-$PID"
    New-Item -ItemType Directory -Force $script:local | Out-Null
    New-HpcItem $script:base -ItemType Directory -Force | Out-Null
}

AfterAll {
    Remove-HpcItem $script:base -Recurse -ErrorAction SilentlyContinue
    Remove-Item $script:local -Recurse -Force -ErrorAction SilentlyContinue
}

Context 'status' {
    It 'Get-HpcSystem returns the cluster with its health' {
        $s = Get-HpcSystem
        $s.Name | Should -Contain 'cluster'
        ($s | Where-Object Name -eq 'cluster').Health | Should -Not -BeNullOrEmpty
    }
    It 'Get-HpcNode, Get-HpcPartition, Get-HpcReservation and Get-HpcUserInfo answer' {
        @(Get-HpcNode).Count | Should -BeGreaterThan 0
        (Get-HpcPartition).Name | Should -Contain 'debug'
        { Get-HpcReservation -ErrorAction Stop } | Should -Not -Throw
        (Get-HpcUserInfo).User.Name | Should -Be 'fireuser'
    }
    It 'an unknown system is an ErrorRecord with a category' {
        Get-HpcPartition -System 'no-such-system' -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -BeGreaterThan 0
        $err[0] | Should -BeOfType System.Management.Automation.ErrorRecord
        $err[0].CategoryInfo.Category | Should -BeIn @('ObjectNotFound', 'InvalidArgument')
    }
}

Context 'files' {
    It 'New-HpcItem, Get-HpcChildItem -Force and Get-HpcItem' {
        New-HpcItem "$script:base/sub/deep" -ItemType Directory -Force | Select-Object -ExpandProperty FullName | Should -Be "$script:base/sub/deep"
        New-HpcItem "$script:base/link" -ItemType SymbolicLink -Value "$script:base/sub" | Out-Null
        $items = Get-HpcChildItem $script:base
        $items.Name | Should -Contain 'sub'
        ($items | Where-Object Name -eq 'link').LinkTarget | Should -Be "$script:base/sub"
        (Get-HpcChildItem $script:base -Recurse).Name | Should -Contain 'sub/deep'
        (Get-HpcItem "$script:base/sub").Type | Should -Be 'd'
    }
    It 'Send-HpcFile from Get-ChildItem, Get-HpcContent, Get-HpcFileHash and Receive-HpcFile round trip' {
        1..30 | ForEach-Object { "line $_" } | Set-Content (Join-Path $script:local 'a.dat')
        'hidden' | Set-Content (Join-Path $script:local '.h.dat')
        Get-ChildItem $script:local -Filter *.dat -Force | Send-HpcFile -Destination $script:base | Out-Null
        (Get-HpcChildItem $script:base).Name | Should -Not -Contain '.h.dat'
        (Get-HpcChildItem $script:base -Force).Name | Should -Contain '.h.dat'
        Get-HpcContent "$script:base/a.dat" -Head 2 | Should -Be @('line 1', 'line 2')
        Get-HpcContent "$script:base/a.dat" -Tail 1 | Should -Be 'line 30'
        Get-HpcContent "$script:base/a.dat" -Offset 5 -Size 1 -Raw | Should -Be '1'
        (Get-HpcFileHash "$script:base/a.dat").Hash | Should -Be (Get-FileHash (Join-Path $script:local 'a.dat')).Hash
        $down = Join-Path $script:local 'down'
        New-Item -ItemType Directory $down | Out-Null
        Get-HpcItem "$script:base/a.dat" | Receive-HpcFile -Destination $down | Out-Null
        (Get-FileHash (Join-Path $down 'a.dat')).Hash | Should -Be (Get-FileHash (Join-Path $script:local 'a.dat')).Hash
    }
    It 'Copy-HpcItem, Move-HpcItem, Set-HpcItemPermission, Compress-HpcItem and Expand-HpcItem' {
        Copy-HpcItem "$script:base/a.dat" "$script:base/b.dat" -Account hpcproj
        Move-HpcItem "$script:base/b.dat" "$script:base/c.dat" -Account hpcproj
        $names = (Get-HpcChildItem $script:base).Name
        $names | Should -Contain 'c.dat'
        $names | Should -Not -Contain 'b.dat'
        (Set-HpcItemPermission "$script:base/c.dat" -Mode 700).Permissions | Should -Be 'rwx------'
        Compress-HpcItem "$script:base/sub" "$script:base/sub.tar.gz" | Out-Null
        Expand-HpcItem "$script:base/sub.tar.gz" "$script:base/x" -ErrorAction Stop | Out-Null
        (Get-HpcChildItem "$script:base/x" -Recurse).Name | Should -Contain 'sub/deep'
    }
    It '-WhatIf does not act' {
        Remove-HpcItem "$script:base/c.dat" -WhatIf
        New-HpcItem "$script:base/never" -ItemType Directory -WhatIf
        (Get-HpcChildItem $script:base).Name | Should -Contain 'c.dat'
        (Get-HpcChildItem $script:base).Name | Should -Not -Contain 'never'
        Remove-HpcItem "$script:base/c.dat"
        (Get-HpcChildItem $script:base).Name | Should -Not -Contain 'c.dat'
    }
    It 'a missing path is a non-terminating ObjectNotFound error and the pipeline goes on' {
        $out = Get-HpcItem "$script:base/missing", "$script:base/a.dat" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $out.Name | Should -Be 'a.dat'
    }
    It 'a directory needs -Recurse to be removed' {
        Remove-HpcItem "$script:base/x" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Context 'jobs' {
    It 'Submit-HpcJob -Wait, Get-HpcJob, Get-HpcJobOutput' {
        $job = Submit-HpcJob -Script "#!/bin/bash`necho hello-`$GREETING`necho oops >&2" -WorkingDirectory $script:base -Name "ps-$($script:mode)" -Account hpcproj -Partition debug -Environment @{ GREETING = 'world' } -Wait -Timeout 120
        $job.State | Should -Be 'Completed'
        (Get-HpcJob $job.JobId).JobId | Should -Be $job.JobId
        $job | Get-HpcJobOutput | Should -Match 'hello-world'
        Get-HpcJobOutput $job.JobId -StandardError -Tail 1 | Should -Match 'oops'
    }
    It 'Submit-HpcJob from a local script file, Wait-HpcJob from the pipeline' {
        $f = Join-Path $script:local 'job.sh'
        Set-Content $f "#!/bin/bash`necho from-file"
        $job = Submit-HpcJob $f -WorkingDirectory $script:base -Account hpcproj
        ($job | Wait-HpcJob -Timeout 120).State | Should -Be 'Completed'
    }
    It 'Get-HpcJob | Stop-HpcJob -WhatIf does not cancel; Stop-HpcJob cancels' {
        $job = Submit-HpcJob -Script "#!/bin/bash`nsleep 120" -WorkingDirectory $script:base -Account hpcproj
        (Get-HpcJob).JobId | Should -Contain $job.JobId
        Get-HpcJob $job.JobId | Stop-HpcJob -WhatIf
        (Get-HpcJob $job.JobId).State | Should -BeIn @('Pending', 'Running')
        Get-HpcJob $job.JobId | Stop-HpcJob
        (Wait-HpcJob $job.JobId -Timeout 60).State | Should -Be 'Cancelled'
    }
    It 'an array element id such as 123_1 reaches the Slurm array path; a malformed id is an InvalidArgument error' {
        $array = Submit-HpcJob -Script "#!/bin/bash`n#SBATCH --array=0-2`ntrue" -WorkingDirectory $script:base -Account hpcproj -Wait -Timeout 120
        $element = "$($array.JobId)_1"
        $job = Wait-HpcJob $element -Timeout 120
        $job.JobId | Should -Be $element
        $job.State | Should -Be 'Completed'
        (Get-HpcJob $element).JobId | Should -Be $element
        Get-HpcJob "$($array.JobId);id" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
    It 'Wait-HpcJob -Timeout writes the job as last seen, then an OperationTimeout error' {
        $job = Submit-HpcJob -Script "#!/bin/bash`nsleep 60" -WorkingDirectory $script:base -Account hpcproj
        $last = Wait-HpcJob $job.JobId -Timeout 1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $last.JobId | Should -Be $job.JobId
        $last.State | Should -BeIn @('Pending', 'Running')
        Stop-HpcJob $job.JobId
    }
    It 'Submit-HpcJob -Wait -Timeout writes the job, then an OperationTimeout error; the job keeps running' {
        $job = Submit-HpcJob -Script "#!/bin/bash`nsleep 60" -WorkingDirectory $script:base -Account hpcproj -Wait -Timeout 3 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err[0].Exception.Message | Should -Match "did not end within 3 s"
        $job.JobId | Should -Not -BeNullOrEmpty
        $job.State | Should -BeIn @('Pending', 'Running')
        (Get-HpcJob $job.JobId).State | Should -BeIn @('Pending', 'Running')
        Stop-HpcJob $job.JobId
    }
    It 'Submit-HpcJob checks first: a missing working directory or an unknown partition is an InvalidArgument error naming the parameter' {
        $before = @(Get-HpcJob -Name "ps-preflight-$($script:mode)").Count
        Submit-HpcJob -Script "#!/bin/bash`ntrue" -WorkingDirectory "$($script:base)/no-such-dir" -Name "ps-preflight-$($script:mode)" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match 'WorkingDirectory: .*does not exist'
        Submit-HpcJob -Script "#!/bin/bash`ntrue" -WorkingDirectory $script:base -Partition nopartition -Name "ps-preflight-$($script:mode)" -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2[0].Exception.Message | Should -Match "Partition: unknown partition 'nopartition'"
        @(Get-HpcJob -Name "ps-preflight-$($script:mode)").Count | Should -Be $before
    }
}

Context 'large files' {
    It 'Send-HpcFile and Receive-HpcFile of 3 MiB (over max_ops_file_size, so through S3) keep the SHA-256' {
        (Get-HpcSystem | Where-Object Name -eq 'cluster').DataOperation.MaxOpsFileSize | Should -BeLessThan 3MB -Because 'the file must take the staged path'
        $big = Join-Path $script:local 'big.bin'
        $bytes = [byte[]]::new(3MB)
        [Random]::new(7).NextBytes($bytes)
        [IO.File]::WriteAllBytes($big, $bytes)
        $sent = Send-HpcFile $big -Destination $script:base -Account hpcproj -ErrorAction Stop
        $sent.Size | Should -Be 3MB
        (Get-HpcFileHash "$script:base/big.bin").Hash | Should -Be (Get-FileHash $big -Algorithm SHA256).Hash
        $back = Join-Path $script:local 'big.back.bin'
        Receive-HpcFile "$script:base/big.bin" -Destination $back -Account hpcproj -ErrorAction Stop | Out-Null
        (Get-FileHash $back -Algorithm SHA256).Hash | Should -Be (Get-FileHash $big -Algorithm SHA256).Hash
        Test-Path "$back.f7t-download.json" | Should -BeFalse
        Test-Path "$big.f7t-upload.json" | Should -BeFalse
    }
    It 'Send-HpcFile and Receive-HpcFile of 3 MiB on the system "streamer" stream it to and from the transfer job and keep the SHA-256' {
        (Get-HpcSystem -System streamer).DataOperation.DataTransfer.ServiceType | Should -Be 'Streamer'
        $big = Join-Path $script:local 'streamed.bin'
        $bytes = [byte[]]::new(3MB + 5)
        [Random]::new(11).NextBytes($bytes)
        [IO.File]::WriteAllBytes($big, $bytes)
        $sent = Send-HpcFile $big -Destination $script:base -System streamer -Account hpcproj -ErrorAction Stop
        $sent.Size | Should -Be (3MB + 5)
        (Get-HpcFileHash "$script:base/streamed.bin" -System streamer).Hash | Should -Be (Get-FileHash $big -Algorithm SHA256).Hash
        $back = Join-Path $script:local 'streamed.back.bin'
        Receive-HpcFile "$script:base/streamed.bin" -Destination $back -System streamer -Account hpcproj -ErrorAction Stop | Out-Null
        (Get-FileHash $back -Algorithm SHA256).Hash | Should -Be (Get-FileHash $big -Algorithm SHA256).Hash
        Test-Path "$back.part" | Should -BeFalse
    }
}

Context 'batch runs' {
    BeforeAll {
        $script:batchDir = Join-Path $script:local 'batch'
        New-Item -ItemType Directory -Force $script:batchDir | Out-Null
        function script:New-RunFile([string] $name, [string] $jobs) {
            $path = Join-Path $script:batchDir $name
            @"
system: cluster
defaults:
  account: hpcproj
  partition: debug
  workingDirectory: $script:base/$($name -replace '\.yaml$', '')
  resources: {nodes: 1, time: "00:02:00"}
jobs:
$jobs
"@ | Set-Content $path
            $path
        }
    }
    It 'Invoke-HpcBatch -WhatIf prints the plan of a diamond and submits nothing' {
        $path = New-RunFile 'diamond.yaml' @'
  top: {script: "echo top"}
  left: {script: "echo left", dependsOn: [top]}
  right: {script: "echo right", dependsOn: [top]}
  bottom: {script: "echo bottom", dependsOn: [left, right]}
'@
        $out = Invoke-HpcBatch $path -WhatIf -InformationVariable plan
        $out | Should -BeNullOrEmpty
        $text = ($plan | ForEach-Object { "$($_.MessageData)" }) -join "`n"
        $text | Should -Match '4 jobs'
        $text | Should -Match '1\. top'
        $text | Should -Match '4\. bottom after left, right'
        Test-Path "$path.state.json" | Should -BeFalse
        (Get-HpcChildItem $script:base).Name | Should -Not -Contain 'diamond'
    }
    It 'Invoke-HpcBatch runs A then B and both complete' {
        $path = New-RunFile 'chain.yaml' @'
  A: {script: "echo from-a > a.txt"}
  B: {script: "cat a.txt > b.txt", dependsOn: [A]}
'@
        $report = Invoke-HpcBatch $path -ErrorAction Stop
        $report.GetType().FullName | Should -Be 'Firecrest.Core.Batch.BatchReport'
        $report.Jobs.Count | Should -Be 2
        $report.Jobs | ForEach-Object { $_.Status.ToString() | Should -Be 'Completed' }
        $report.Jobs | ForEach-Object { $_.State.ToString() | Should -Be 'Completed' }
        $json = $report | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $json.Jobs.Status | Should -Be @('Completed', 'Completed')
        $json.Jobs.State | Should -Be @('Completed', 'Completed')
        (Get-HpcContent "$script:base/chain/b.txt") | Should -Be 'from-a'
        ($report | Out-String) | Should -Match 'COMPLETED|completed'
    }
    It 'a failed job writes a non-terminating error after the report' {
        $path = New-RunFile 'fails.yaml' @'
  bad: {script: "exit 3"}
  after: {script: "echo never", dependsOn: [bad]}
'@
        $report = Invoke-HpcBatch $path -ErrorVariable err -ErrorAction SilentlyContinue
        $report.Jobs.Count | Should -Be 2
        ($report.Jobs | Where-Object Name -eq 'bad').Status.ToString() | Should -Be 'Failed'
        ($report.Jobs | Where-Object Name -eq 'after').Status.ToString() | Should -Be 'Skipped'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'HpcBatchFailed*'
        { Invoke-HpcBatch $path -ErrorAction Stop } | Should -Throw
    }
    It 'an unknown dependency is a terminating error naming the line and column' {
        $path = New-RunFile 'invalid.yaml' @'
  A: {script: "echo a"}
  B: {script: "echo b", dependsOn: [nope]}
'@
        $e = { Invoke-HpcBatch $path } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'HpcBatchInvalid*'
        $e.Exception.Message | Should -Match ([regex]::Escape($path) + ':9:\d+:')
        $e.Exception.Message | Should -Match 'nope'
        $e.Exception.Line | Should -Be 9
    }
}

Context 'help and completion' {
    It 'every cmdlet has help with examples' {
        foreach ($c in Get-Command -Module Firecrest -CommandType Cmdlet) {
            @((Get-Help $c.Name -Examples).examples.example).Count | Should -BeGreaterThan 0 -Because $c.Name
        }
    }
    It 'completes systems, partitions and remote paths' {
        foreach ($case in @(@('Get-HpcPartition -System cl', 'cluster'), @('Submit-HpcJob -Partition de', 'debug'))) {
            (TabExpansion2 $case[0] $case[0].Length).CompletionMatches.CompletionText | Should -Contain $case[1]
        }
        $line = "Get-HpcChildItem $script:base/s"
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Contain "$script:base/sub/"
    }
}
