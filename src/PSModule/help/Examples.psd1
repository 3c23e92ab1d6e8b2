# The examples of each cmdlet's help; synopsis, description and parameters come from the XML doc comments.
# Build-Help.ps1 turns both into en-US/Firecrest.PowerShell.dll-Help.xml at the repository root (MAML, what Get-Help reads).
@{
    'Connect-Hpc'           = @(
        @('Connect-Hpc -Url http://127.0.0.1:8000 -TokenUrl http://127.0.0.1:8080/token -ClientId firecrest-demo -ClientSecret (Read-Host -AsSecureString)', 'Connects to a FirecREST server with OIDC client credentials; the token is renewed automatically.'),
        @('Connect-Hpc -ConfigPath ./firecrest.yaml -User fireuser -Name direct', 'Builds the engine in this process from a FirecREST YAML configuration and acts as fireuser over SSH, as a second session named direct.')
    )
    'Disconnect-Hpc'        = @(, @('Get-HpcSession | Disconnect-Hpc', 'Closes every session.'))
    'Get-HpcSession'        = @(, @('Get-HpcSession -Current', 'Shows the session cmdlets use by default.'))
    'Set-HpcSession'        = @(
        @('Set-HpcSession direct', 'Makes the session named direct the current one: cmdlets without -Session use it.'),
        @('Get-HpcSession remote | Set-HpcSession -PassThru', 'Switches back to the session named remote and shows it.')
    )
    'Get-HpcModuleInfo'     = @(, @('Get-HpcModuleInfo', 'Shows the module and engine versions and the load context the engine runs in.'))
    'Get-HpcSystem'         = @(, @('Get-HpcSystem | Where-Object Health -ne Healthy', 'Lists systems whose health checks fail.'))
    'Get-HpcNode'           = @(, @('Get-HpcNode -System cluster', 'Lists the compute nodes with their state and load.'))
    'Get-HpcPartition'      = @(, @('Get-HpcPartition debug', 'Shows the debug partition.'))
    'Get-HpcReservation'    = @(, @('Get-HpcReservation', 'Lists the reservations of the default system.'))
    'Get-HpcUserInfo'       = @(, @('(Get-HpcUserInfo).Accounts', 'Lists the scheduler accounts you can charge jobs to.'))
    'Submit-HpcJob'         = @(
        @('Submit-HpcJob ./job.sh -WorkingDirectory /home/me/run1 -Partition debug -Environment @{ OMP_NUM_THREADS = 4 } -Wait', 'Submits a local script and waits for the job to end.'),
        @("Submit-HpcJob -Script ""#!/bin/bash``nhostname"" -WorkingDirectory /home/me -Name hello", 'Submits script text.'),
        @("""#!/bin/bash``nhostname"" | Submit-HpcJob -WorkingDirectory /home/me", 'Submits script text from the pipeline.')
    )
    'Get-HpcJob'            = @(, @('Get-HpcJob -State Running,Pending', 'Lists your jobs that have not ended.'))
    'Wait-HpcJob'           = @(, @('Get-HpcJob -Name sim* | Wait-HpcJob -Timeout 600', 'Waits up to ten minutes for each job named sim*.'))
    'Stop-HpcJob'           = @(, @('Get-HpcJob -State Pending | Stop-HpcJob -WhatIf', 'Shows which pending jobs would be cancelled.'))
    'Get-HpcJobOutput'      = @(, @('Get-HpcJobOutput 1234 -Tail 20', 'Shows the last 20 lines of job 1234''s standard output.'))
    'Get-HpcChildItem'      = @(, @('Get-HpcChildItem /home/me -Recurse -Force', 'Lists a directory tree including hidden files.'))
    'Get-HpcItem'           = @(, @('Get-HpcItem /home/me/data.bin -Stat', 'Shows the stat record of a file.'))
    'Get-HpcContent'        = @(, @('Get-HpcContent /home/me/run1/log.txt -Tail 50', 'Shows the last 50 lines of a remote file.'))
    'Get-HpcFileHash'       = @(, @('(Get-HpcFileHash /home/me/data.bin).Hash -eq (Get-FileHash ./data.bin).Hash', 'Compares a remote file with a local copy.'))
    'New-HpcItem'           = @(
        @('New-HpcItem /home/me/a/b/c -ItemType Directory -Force', 'Creates a directory with its parents.'),
        @('New-HpcItem /home/me/latest -ItemType SymbolicLink -Value /home/me/run7', 'Creates a symbolic link.')
    )
    'Remove-HpcItem'        = @(, @('Get-HpcChildItem /home/me/tmp | Remove-HpcItem -Recurse -WhatIf', 'Shows what would be removed.'))
    'Move-HpcItem'          = @(, @('Move-HpcItem /home/me/run1 /scratch/me/run1', 'Moves a directory as a transfer job and waits for it.'))
    'Copy-HpcItem'          = @(, @('Copy-HpcItem /home/me/input.dat /scratch/me/input.dat -PassThru', 'Copies a file and returns the copy.'))
    'Set-HpcItemPermission' = @(, @('Set-HpcItemPermission /home/me/run.sh -Mode 750', 'Makes a script executable for you and your group.'))
    'Send-HpcFile'          = @(
        @('Get-ChildItem *.dat | Send-HpcFile -Destination /home/me/inputs', 'Uploads local files and checks their SHA-256 on the system.'),
        @('Send-HpcFile ./big.tar /scratch/me -Account hpcproj', 'Uploads a file larger than max_ops_file_size through S3; the transfer job is charged to hpcproj. After Ctrl+C, the same command resumes the upload.')
    )
    'Receive-HpcFile'       = @(
        @('Get-HpcChildItem /home/me/results | Receive-HpcFile -Destination ./results', 'Downloads the files of a remote directory.'),
        @('Receive-HpcFile /scratch/me/big.tar ./big.tar -Account hpcproj -Force', 'Downloads a large file staged through S3 by a transfer job charged to hpcproj.')
    )
    'Invoke-HpcBatch'       = @(
        @('Invoke-HpcBatch ./run.yaml -WhatIf', 'Checks the run file and prints the plan (submission order, directives, uploads, downloads) without submitting anything.'),
        @('Invoke-HpcBatch ./run.yaml -ErrorAction Stop', 'Runs the jobs and shows the report; a failed job stops the script, so `pwsh -File script.ps1` exits with status 1.'),
        @('Invoke-HpcBatch ./run.yaml; if (-not $?) { exit 1 }', 'Shows the report and exits with status 1 when any job failed or was skipped.'),
        @('Invoke-HpcBatch ./run.yaml -Resume -PassThru | Where-Object Status -ne Completed', 'Continues an interrupted run (completed jobs are not submitted again) and lists the jobs that did not complete.')
    )
    'Compress-HpcItem'      = @(, @('Compress-HpcItem /home/me/run1 /home/me/run1.tar.gz', 'Packs a directory into a gzip tar archive on the system.'))
    'Expand-HpcItem'        = @(, @('Expand-HpcItem /home/me/run1.tar.gz /home/me/restored', 'Extracts an archive on the system.'))
}
