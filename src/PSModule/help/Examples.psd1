# The examples of each cmdlet's help; synopsis, description and parameters come from the XML doc comments.
# Build-Help.ps1 turns both into en-US/Firecrest.PowerShell.dll-Help.xml at build time (MAML, what Get-Help reads).
# Every example runs against the demo cluster in tests/PSModule (Examples in CmdletSuite.Examples.ps1), in a local
# folder holding job.sh, run.yaml, data.bin, big.tar and *.dat, and a <dir> holding what the examples name. Words in angle brackets are placeholders, the only
# text the test replaces: <dir> a remote directory of yours (e.g. ~/run1), <job> a job id, <url> the server,
# <token-url> the OIDC token endpoint, <client-id>, <secret> (a SecureString), <config> a FirecREST YAML
# configuration, <user> the user direct mode acts as, <session> the name of an open session. Anything else (the system "cluster", the partition "debug",
# the account "hpcproj") is the demo cluster's own name.
@{
    'Connect-HpcSession'    = @(
        @('Connect-HpcSession -Url <url> -TokenUrl <token-url> -ClientId <client-id> -ClientSecret <secret>', 'Connects to a FirecREST server with OIDC client credentials; the token is renewed automatically.'),
        @('Connect-HpcSession -ConfigPath <config> -User <user> -Name direct', 'Builds the engine in this process from a FirecREST YAML configuration and acts as the user over SSH, as a session named direct.')
    )
    'Disconnect-HpcSession' = @(, @('Get-HpcSession | Disconnect-HpcSession', 'Closes every session.'))
    'Get-HpcSession'        = @(, @('Get-HpcSession -Current', 'Shows the session cmdlets use by default.'))
    'Set-HpcSession'        = @(
        @('Set-HpcSession <session>', 'Makes the session of that name the current one: cmdlets without -Session use it.'),
        @('Get-HpcSession <session> | Set-HpcSession -PassThru', 'Switches to the session of that name and shows it.')
    )
    'Get-HpcModuleInfo'     = @(, @('Get-HpcModuleInfo', 'Shows the module and engine versions and the load context the engine runs in.'))
    'Get-HpcSystem'         = @(, @('Get-HpcSystem | Where-Object Health -ne Healthy', 'Lists systems whose health checks fail.'))
    'Get-HpcNode'           = @(, @('Get-HpcNode -System cluster', 'Lists the compute nodes with their state and load.'))
    'Get-HpcPartition'      = @(, @('Get-HpcPartition debug', 'Shows the debug partition.'))
    'Get-HpcReservation'    = @(, @('Get-HpcReservation', 'Lists the reservations of the default system.'))
    'Get-HpcUserInfo'       = @(, @('(Get-HpcUserInfo).Accounts', 'Lists the scheduler accounts you can charge jobs to.'))
    'Submit-HpcJob'         = @(
        @('Submit-HpcJob ./job.sh -WorkingDirectory <dir> -Partition debug -Environment @{ OMP_NUM_THREADS = 4 } -Wait', 'Submits a local script and waits for the job to end.'),
        @("Submit-HpcJob -Script ""#!/bin/bash``nhostname"" -WorkingDirectory ~ -Name hello", 'Submits script text, to run in your home directory.'),
        @("""#!/bin/bash``nhostname"" | Submit-HpcJob -WorkingDirectory <dir>", 'Submits script text from the pipeline.')
    )
    'Get-HpcJob'            = @(, @('Get-HpcJob -State Running,Pending', 'Lists your jobs that have not ended.'))
    'Wait-HpcJob'           = @(, @('Get-HpcJob <job> | Wait-HpcJob -Timeout 600', 'Waits up to ten minutes for the job to end.'))
    'Stop-HpcJob'           = @(, @('Get-HpcJob -State Pending | Stop-HpcJob -WhatIf', 'Shows which pending jobs would be cancelled.'))
    'Get-HpcJobOutput'      = @(, @('Get-HpcJobOutput <job> -Tail 20', 'Shows the last 20 lines of the job''s standard output.'))
    'Get-HpcChildItem'      = @(
        @('Get-HpcChildItem <dir> -Recurse -Force', 'Lists a directory tree including hidden files.'),
        @('Get-HpcChildItem <dir>/*.dat', 'Lists the files that match a wildcard (expanded on the system).')
    )
    'Get-HpcItem'           = @(, @('Get-HpcItem <dir>/data.bin -Stat', 'Shows the stat record of a file.'))
    'Get-HpcContent'        = @(, @('Get-HpcContent <dir>/run1/log.txt -Tail 50', 'Shows the last 50 lines of a remote file.'))
    'Get-HpcFileHash'       = @(, @('(Get-HpcFileHash <dir>/data.bin).Hash -eq (Get-FileHash ./data.bin).Hash', 'Compares a remote file with a local copy.'))
    'New-HpcItem'           = @(
        @('New-HpcItem <dir>/a/b/c -ItemType Directory -Force', 'Creates a directory with its parents.'),
        @('New-HpcItem <dir>/latest -ItemType SymbolicLink -Value <dir>/run1', 'Creates a symbolic link.')
    )
    'Remove-HpcItem'        = @(
        @('Get-HpcChildItem <dir>/tmp | Remove-HpcItem -Recurse -WhatIf', 'Shows what would be removed.'),
        @('Remove-HpcItem <dir>/tmp/*.log', 'Removes the files that match a wildcard.')
    )
    'Move-HpcItem'          = @(, @('Move-HpcItem <dir>/run1 <dir>/run1-done', 'Moves a directory as a transfer job and waits for it.'))
    'Copy-HpcItem'          = @(, @('Copy-HpcItem <dir>/input.dat <dir>/input-copy.dat -PassThru', 'Copies a file and returns the copy.'))
    'Set-HpcItemPermission' = @(, @('Set-HpcItemPermission <dir>/run.sh -Mode 750', 'Makes a script executable for you and your group.'))
    'Send-HpcFile'          = @(
        @('Get-ChildItem *.dat | Send-HpcFile -Destination <dir>/inputs -Force', 'Uploads local files into a remote directory, created by -Force because there are several, and checks their SHA-256 on the system.'),
        @('Send-HpcFile ./job.sh -Destination <dir>/renamed.sh', 'Uploads a file under a new name (the destination is not an existing directory).'),
        @('Send-HpcFile ./big.tar <dir> -Account hpcproj', 'Uploads a file larger than max_ops_file_size through S3; the transfer job is charged to hpcproj. After Ctrl+C, the same command resumes the upload.')
    )
    'Receive-HpcFile'       = @(
        @('Get-HpcChildItem <dir>/results | Receive-HpcFile -Destination ./results -Force', 'Downloads the files of a remote directory; -Force creates ./results (several files need a directory) and overwrites files already there.'),
        @('Receive-HpcFile <dir>/data.bin ./data-copy.bin -Account hpcproj', 'Downloads a file larger than max_ops_file_size, staged through S3 by a transfer job charged to hpcproj, under a new name.')
    )
    'Invoke-HpcBatch'       = @(
        @('Invoke-HpcBatch ./run.yaml -WhatIf', 'Checks the run file and prints the plan (submission order, directives, uploads, downloads) without submitting anything.'),
        @('Invoke-HpcBatch ./run.yaml -ErrorAction Stop', 'Runs the jobs and shows the report; a failed job stops the script, so `pwsh -File script.ps1` exits with status 1.'),
        @('Invoke-HpcBatch ./run.yaml; if (-not $?) { exit 1 }', 'Shows the report and exits with status 1 when any job failed or was skipped.'),
        @('Invoke-HpcBatch ./run.yaml -Resume -PassThru | Where-Object Status -ne Completed', 'Continues an interrupted run (completed jobs are not submitted again) and lists the jobs that did not complete.')
    )
    'Compress-HpcItem'      = @(, @('Compress-HpcItem <dir>/run1 <dir>/run1.tar.gz', 'Packs a directory into a gzip tar archive on the system.'))
    'Expand-HpcItem'        = @(, @('Expand-HpcItem <dir>/archive.tar.gz <dir>/restored', 'Extracts an archive on the system.'))
}
