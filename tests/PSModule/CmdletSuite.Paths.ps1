# Paths (~, relative, wildcards, -LiteralPath, Copy-Item destination rule) and tab completion, dot-sourced after
# CmdletSuite.ps1 inside the Describe of Cmdlets.Remote.Tests.ps1 and Cmdlets.Direct.Tests.ps1 (its $script:base and
# $script:local).

Context 'paths' {
    BeforeAll {
        $sys = Get-HpcSystem | Where-Object Name -eq 'cluster'
        $homeRoot = ($sys.FileSystems | Where-Object { "$($_.DataType)" -eq 'Users' }).Path
        $script:homeDir = "$($homeRoot.TrimEnd('/'))/$((Get-HpcUserInfo).User.Name)"
        $script:rel = $script:base.Substring($script:homeDir.Length + 1)
        $script:src = Join-Path $script:local 'paths-src'
        New-Item -ItemType Directory -Force $script:src | Out-Null
        'one' | Set-Content (Join-Path $script:src 'one.w')
        'two' | Set-Content (Join-Path $script:src 'two.w')
        'brackets' | Set-Content -LiteralPath (Join-Path $script:src 'b[1].w')
    }
    It '~, ~/x and relative paths are under the home directory from Get-HpcUserInfo and the users file system' {
        $script:base | Should -BeLike "$script:homeDir/*" -Because 'the suite works in the home directory'
        (Get-HpcItem '~').FullName | Should -Be $script:homeDir
        (New-HpcItem "~/$script:rel/tilde" -ItemType Directory).FullName | Should -Be "$script:base/tilde"
        (New-HpcItem "$script:rel/relative" -ItemType Directory).FullName | Should -Be "$script:base/relative"
        (Get-HpcItem "$script:rel/tilde/../relative").FullName | Should -Be "$script:base/relative"
        @(Get-HpcChildItem $script:rel).Name | Should -Be @(Get-HpcChildItem $script:base).Name
        Get-HpcItem '~nosuchuser/x' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match "only '~'"
    }
    It 'Send-HpcFile -Destination dir/newname creates newname; it overwrites only with -Force' {
        $f = Join-Path $script:src 'one.w'
        (Send-HpcFile $f -Destination "$script:rel/newname.txt").FullName | Should -Be "$script:base/newname.txt"
        Get-HpcContent "$script:base/newname.txt" | Should -Be 'one'
        Send-HpcFile (Join-Path $script:src 'two.w') -Destination "~/$script:rel/newname.txt" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $err[0].Exception.Message | Should -Match '-Force'
        Get-HpcContent "$script:base/newname.txt" | Should -Be 'one'
        Send-HpcFile (Join-Path $script:src 'two.w') -Destination "$script:base/newname.txt" -Force | Out-Null
        Get-HpcContent "$script:base/newname.txt" | Should -Be 'two'
        # an existing directory receives the file under its name, and refuses to overwrite it without -Force
        (Send-HpcFile $f -Destination "$script:base/tilde").FullName | Should -Be "$script:base/tilde/one.w"
        Send-HpcFile $f -Destination "$script:base/tilde" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
    }
    It 'Send-HpcFile expands local wildcards; several files need an existing directory or -Force; -LiteralPath takes brackets' {
        Send-HpcFile (Join-Path $script:src '*.w') -Destination "$script:base/wild" -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match 'not an existing directory.*-Force'
        (Get-HpcChildItem $script:base).Name | Should -Not -Contain 'wild'
        $sent = Send-HpcFile (Join-Path $script:src '[ot]*.w') -Destination "$script:base/wild" -Force
        @($sent.Name | Sort-Object) | Should -Be @('one.w', 'two.w')
        Send-HpcFile -LiteralPath (Join-Path $script:src 'b[1].w') -Destination "$script:base/wild" | Out-Null
        Get-ChildItem -LiteralPath $script:src -Filter 'one.w' | Send-HpcFile -Destination "$script:base/wild" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-ChildItem -LiteralPath $script:src -Filter 'one.w' | Send-HpcFile -Destination "$script:base/wild" -Force).FullName | Should -Be "$script:base/wild/one.w"
        # a single file to a name that does not exist yet becomes that file
        Send-HpcFile (Join-Path $script:src 'one.w') -Destination "$script:base/tilde/single.w" | Out-Null
        Get-HpcContent "$script:base/tilde/single.w" | Should -Be 'one'
        @(Get-HpcChildItem "$script:base/wild" | Sort-Object Name).Name | Should -Be @('b[1].w', 'one.w', 'two.w')
    }
    It 'Get-HpcChildItem and Remove-HpcItem expand remote wildcards; -LiteralPath does not; no match gives nothing' {
        @(Get-HpcChildItem "~/$script:rel/wild/*.w" | Sort-Object Name).Name | Should -Be @('b[1].w', 'one.w', 'two.w')
        @(Get-HpcChildItem "$script:base/w?ld/t*").FullName | Should -Be @("$script:base/wild/two.w")
        @(Get-HpcChildItem "$script:base/wild/nomatch*" -ErrorVariable err).Count | Should -Be 0
        $err.Count | Should -Be 0
        (Get-HpcItem -LiteralPath "$script:base/wild/b[1].w").Name | Should -Be 'b[1].w'
        Get-HpcContent -LiteralPath "$script:base/wild/b[1].w" | Should -Be 'brackets'
        Remove-HpcItem "$script:base/wild/[ot]*.w"
        @(Get-HpcChildItem "$script:base/wild").Name | Should -Be @('b[1].w')
        Remove-HpcItem -LiteralPath "$script:base/wild/b[1].w"
        @(Get-HpcChildItem "$script:base/wild").Count | Should -Be 0
    }
    It 'Receive-HpcFile of several files needs an existing directory (clear error, or -Force creates it); -Force overwrites' {
        Send-HpcFile (Join-Path $script:src '*.w') -Destination "$script:base/wild" -Force | Out-Null
        $out = Join-Path $script:local 'out'
        Get-HpcChildItem "$script:base/wild" | Receive-HpcFile -Destination $out -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match 'not an existing directory.*-Force'
        Test-Path $out | Should -BeFalse
        $got = Get-HpcChildItem "$script:base/wild" | Receive-HpcFile -Destination $out -Force
        @($got.Name | Sort-Object) | Should -Be @('b[1].w', 'one.w', 'two.w')
        Get-Content -LiteralPath (Join-Path $out 'b[1].w') | Should -Be 'brackets'
        # an existing directory: each file under its name; an existing file is kept without -Force
        Receive-HpcFile "~/$script:rel/wild/one.w" -Destination $out -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        # a single file to a new name; remote wildcards
        (Receive-HpcFile "$script:rel/wild/t*.w" -Destination (Join-Path $out 'renamed.txt')).Name | Should -Be 'renamed.txt'
        Get-Content (Join-Path $out 'renamed.txt') | Should -Be 'two'
        Receive-HpcFile "$script:base/wild/one.w" -Destination (Join-Path $out 'renamed.txt') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content (Join-Path $out 'renamed.txt') | Should -Be 'two'
        Receive-HpcFile "$script:base/wild/one.w" -Destination (Join-Path $out 'renamed.txt') -Force | Out-Null
        Get-Content (Join-Path $out 'renamed.txt') | Should -Be 'one'
    }
    It 'Submit-HpcJob -WorkingDirectory takes ~/x' {
        $job = Submit-HpcJob -Script "#!/bin/bash`npwd > where.txt" -WorkingDirectory "~/$script:rel/tilde" -Account hpcproj -Wait -Timeout 120
        $job.State | Should -Be 'Completed'
        Get-HpcContent "$script:base/tilde/where.txt" | Should -Be "$script:base/tilde"
    }
}

Context 'completion' {
    BeforeAll {
        function script:Complete([string] $line) { (TabExpansion2 $line $line.Length).CompletionMatches }
        $homeRoot = ((Get-HpcSystem | Where-Object Name -eq 'cluster').FileSystems | Where-Object { "$($_.DataType)" -eq 'Users' }).Path
        $script:rel = $script:base.Substring("$($homeRoot.TrimEnd('/'))/$((Get-HpcUserInfo).User.Name)".Length + 1)
    }
    It 'completes job ids with the user''s jobs, newest first' {
        $job = Submit-HpcJob -Script "#!/bin/bash`nsleep 60" -WorkingDirectory $script:base -Account hpcproj -Name 'complete-me'
        $found = Complete 'Get-HpcJob '
        $found.CompletionText | Should -Contain $job.JobId
        ($found | Where-Object CompletionText -eq $job.JobId).ToolTip | Should -Match 'complete-me'
        $ids = @($found.CompletionText | ForEach-Object { [long] ($_ -split '_')[0] })
        $ids | Should -Be @($ids | Sort-Object -Descending)
        (Complete "Stop-HpcJob -JobId $($job.JobId)").CompletionText | Should -Contain $job.JobId
        (Complete 'Wait-HpcJob -JobId ').CompletionText | Should -Contain $job.JobId
        (Complete 'Get-HpcJobOutput ').CompletionText | Should -Contain $job.JobId
        Stop-HpcJob $job.JobId
    }
    It 'completes accounts from Get-HpcUserInfo' {
        $accounts = (Get-HpcUserInfo).Accounts.Name
        $accounts.Count | Should -BeGreaterThan 0
        foreach ($line in 'Submit-HpcJob -Account ', 'Send-HpcFile -Account ', 'Copy-HpcItem -Account ', 'Invoke-HpcBatch -Account ') {
            @((Complete $line).CompletionText | Sort-Object) | Should -Be @($accounts | Sort-Object) -Because $line
        }
        (Complete 'Submit-HpcJob -Account hpcproj2').CompletionText | Should -Be 'hpcproj2'
    }
    It 'completes session names, quoted when they hold a space, and -Session takes a name' {
        $current = (Get-HpcSession -Current).Name
        (Complete 'Get-HpcSession ').CompletionText | Should -Contain $current
        (Get-HpcSystem -Session $current).Name | Should -Contain 'cluster'
        $vars = @{}
        foreach ($line in Get-Content $(if ($env:FIRECREST_CLUSTER_ENV) { $env:FIRECREST_CLUSTER_ENV } else { Join-Path $PSScriptRoot '../../.testenv/cluster.env' })) {
            if ($line -match '^([A-Z0-9_]+)=(.*)$') { $vars[$Matches[1]] = $Matches[2] }
        }
        Connect-HpcSession -ConfigPath $vars.FIRECREST_CONFIG -User fireuser -Name 'with space' | Out-Null
        try {
            (Complete 'Disconnect-HpcSession -Name with').CompletionText | Should -Be "'with space'"
            (Complete 'Get-HpcSystem -Session with').CompletionText | Should -Be "'with space'"
            (Get-HpcSystem -Session 'with space').Name | Should -Contain 'cluster'
            { Get-HpcSystem -Session 'no such session' } | Should -Throw '*no such session*'
        }
        finally {
            Disconnect-HpcSession -Name 'with space'
        }
        (Get-HpcSession -Current).Name | Should -Be $current
    }
    It 'completes system names' {
        (Complete 'Get-HpcSystem cl').CompletionText | Should -Be 'cluster'
        (Complete 'Get-HpcNode -System ').CompletionText | Should -Contain 'cluster'
    }
    It 'completes the file systems at / and nothing typed, ~/ and relative paths, and quotes a name with a space' {
        $mounts = (Get-HpcSystem | Where-Object Name -eq 'cluster').FileSystems.Path | ForEach-Object { $_.TrimEnd('/') + '/' }
        @((Complete 'Get-HpcChildItem /').CompletionText | Sort-Object) | Should -Be @($mounts | Sort-Object)
        (Complete 'Get-HpcChildItem ').CompletionText | Should -Contain '~/'
        (Complete 'Get-HpcChildItem ~').CompletionText | Should -Be '~/'
        New-HpcItem "$script:base/has space" -ItemType Directory | Out-Null
        (Complete "Get-HpcChildItem $script:base/has").CompletionText | Should -Be "'$script:base/has space/'"
        (Complete "Get-HpcChildItem ~/$script:rel/has").CompletionText | Should -Be "'~/$script:rel/has space/'"
        (Complete "Get-HpcChildItem $script:rel/has").CompletionText | Should -Be "'$script:rel/has space/'"
        (Complete "Send-HpcFile x -Destination ~/$script:rel/has").CompletionText | Should -Be "'~/$script:rel/has space/'"
    }
}
