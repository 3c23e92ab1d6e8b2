#!/usr/bin/env bash
# record-transcripts.sh: records the command outputs the unit tests replay (tests/Fixtures/transcripts) from the
# running local test cluster (`build.ps1 cluster up` first; run as root, like cluster.sh).
#   ssh/*.json         one command each, run over SSH as fireuser exactly as the adapters emit it:
#                      {"command", "stdout", "stderr", "exit_code"}; TranscriptShell matches on "command".
#   slurmrestd-0.0.38/ slurmrestd (Slurm 22.05) response bodies, one per file.
# It creates what the commands need under /home/fireuser/f7t-transcripts (files, directories, a symlink, a few
# jobs, an array job) with fixed modification times, and removes the folder at the end. Job ids and timestamps
# of the jobs change with every recording: after a refresh, adapt the tests that name them.
# The PBS outputs and the slurmrestd 0.0.40/0.0.42 bodies beside them are written by hand (no such service here).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ENV_FILE=${FIRECREST_CLUSTER_ENV:-$REPO/.testenv/cluster.env}
[ -f "$ENV_FILE" ] || { echo "record: $ENV_FILE missing: run 'build.ps1 cluster up' first" >&2; exit 1; }
# shellcheck disable=SC1090
. "$ENV_FILE"
OUT=$REPO/tests/Fixtures/transcripts
SSH_OUT=$OUT/ssh
REST_OUT=$OUT/slurmrestd-0.0.38
mkdir -p "$SSH_OUT" "$REST_OUT"

B=/home/$SSH_USER/f7t-transcripts
STAMP='2026-01-02 03:04:05'

ssh_raw() { # ssh_raw CMD [STDIN]: runs CMD as $AS_USER (fireuser by default); sets OUT_STDOUT, OUT_STDERR, OUT_RC
  local tmp rc key=$SSH_KEY_FIREUSER; tmp=$(mktemp -d)
  [ "${AS_USER:-$SSH_USER}" = "$SSH_USER" ] || key=$SSH_KEY_FIREUSER2
  set +e
  printf '%s' "${2-}" | ssh -q -p "$SSH_PORT" -i "$key" -o BatchMode=yes -o UserKnownHostsFile="$SSH_KNOWN_HOSTS" \
    -o StrictHostKeyChecking=yes "${AS_USER:-$SSH_USER}@$SSH_HOST" -- "$1" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  set -e
  OUT_STDOUT=$(cat "$tmp/out"; echo x); OUT_STDOUT=${OUT_STDOUT%x}
  OUT_STDERR=$(cat "$tmp/err"; echo x); OUT_STDERR=${OUT_STDERR%x}
  OUT_RC=$rc
  rm -rf "$tmp"
}
run() { ssh_raw "$1" "${2-}"; [ "$OUT_RC" = 0 ] || { echo "record: setup failed ($OUT_RC): $1: $OUT_STDERR" >&2; exit 1; }; }
record() { # record NAME CMD [STDIN]
  ssh_raw "$2" "${3-}"
  jq -n --arg c "$2" --arg o "$OUT_STDOUT" --arg e "$OUT_STDERR" --argjson r "$OUT_RC" \
    '{command: $c, stdout: $o, stderr: $e, exit_code: $r}' >"$SSH_OUT/$1.json"
  echo "record: ssh/$1 (exit $OUT_RC)"
}
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
LS="timeout 5 ls -l --quoting-style=c --time-style='+%Y-%m-%dT%H:%M:%S'"
ls_d() { echo "$LS -d -- $(q "$1")"; }

wait_done() { # wait_done JOBID: until sacct reports a final state for the job (and its steps)
  local i s
  for i in $(seq 1 120); do
    s=$(sacct -n -X -P -j "$1" -o State 2>/dev/null | head -1)
    case $s in COMPLETED|FAILED|CANCELLED*|TIMEOUT) sleep 1; return 0;; esac
    sleep 0.5
  done
  echo "record: job $1 did not finish" >&2; exit 1
}
job_id() { sed -n 's/^Submitted batch job \([0-9]*\).*/\1/p' <<<"$1"; }

# ------------------------------------------------------------------ files and directories
run "rm -rf $B && mkdir -p $B/tree/a/tt $B/tree/b $B/hidden $B/chmod-test $B/chown-test $B/symlink-test $B/src/data $B/readonly $B/jobs \
  && printf '%s\n' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 > $B/numbers.txt \
  && printf 'ABCDEFGHIJ' > $B/readme.txt && printf '12345678' > $B/data.big \
  && printf 'Grüße aus dem Testcluster: é à ü ß\n' > $B/README.md && printf 'plain \033[1mbold\033[0m text\n' > $B/escapes.txt \
  && touch $B/hidden/.profile $B/hidden/.cache $B/hidden/visible.txt && printf 'x' > $B/tree/a/tt/file \
  && ln -s ../a/tt $B/tree/b/tt_link && touch $B/chmod-test/test.txt $B/chown-test/test.txt $B/symlink-test/test.txt $B/file-to-delete \
  && printf 'data\n' > $B/src/data/one.txt && chmod 555 $B/readonly \
  && find $B -exec touch -h -d '$STAMP' {} +"

record ssh_ls_command "$LS -- $(q "$B")"
record ssh_ls_with_hidden_command "$LS -A -- $(q "$B/hidden")"
record ssh_ls_numeric_command "$LS --numeric-uid-gid -- $(q "$B/hidden")"
record ssh_ls_recursive_command "$LS -R -- $(q "$B/tree")"
record ssh_ls_follow_command "$LS -R -L -- $(q "$B/tree")"
record ssh_ls_command_wrong_path "$LS -- $(q "$B/missing")"
record ssh_head_command "timeout 5 head -- $(q "$B/numbers.txt")"
record ssh_tail_command "timeout 5 tail -- $(q "$B/numbers.txt")"
record ssh_dd_command "timeout 5 dd if=$(q "$B/readme.txt") bs='5242880' skip='0' count=2"
record ssh_checksum_command "timeout 5 sha256sum -- $(q "$B/README.md")"
record ssh_file_command "timeout 5 file -b -- $(q "$B/README.md")"
record ssh_file_command_escapes "timeout 5 file -b -- $(q "$B/escapes.txt")"
record ssh_stat_command "timeout 5 stat --dereference -c '%f %i %d %h %u %g %s %X %Y %Z' -- $(q "$B/data.big")"
record ssh_mkdir_command "timeout 5 mkdir  -- $(q "$B/dir1") && $(ls_d "$B/dir1")"
record ssh_mkdir_command_parent "timeout 5 mkdir -p  -- $(q "$B/dir2/sub") && $(ls_d "$B/dir2/sub")"
record ssh_mkdir_command_error "timeout 5 mkdir  -- $(q "$B/tree") && $(ls_d "$B/tree")"
record ssh_mkdir_command_not_found_error "timeout 5 mkdir  -- $(q "$B/missing/dir2/subdir") && $(ls_d "$B/missing/dir2/subdir")"
record ssh_mkdir_command_permission_error "timeout 5 mkdir  -- $(q "$B/readonly/sub") && $(ls_d "$B/readonly/sub")"
record ssh_chmod_command "timeout 5 chmod -v '777' -- $(q "$B/chmod-test/test.txt") && $(ls_d "$B/chmod-test/test.txt")"
record ssh_chown_command "timeout 5 chown -v '':'$SSH_USER' -- $(q "$B/chown-test/test.txt") && $(ls_d "$B/chown-test/test.txt")"
record ssh_chown_command_invalid_user "timeout 5 chown -v 'nobodyx' -- $(q "$B/chown-test/test.txt") && $(ls_d "$B/chown-test/test.txt")"
record ssh_symlink_command "timeout 5 ln -s -- $(q "$B/symlink-test/test.txt") $(q "$B/symlink-test/link.txt") && $(ls_d "$B/symlink-test/link.txt")"
record ssh_rm_command "timeout 5 rm -r --interactive=never -- $(q "$B/file-to-delete")"
record ssh_tar_command "timeout 5 tar --no-unquote -czvf $(q "$B/out.tar") -C $(q "$B/src") -- 'data'"
record ssh_id_command "timeout 5 id"

# ------------------------------------------------------------------ Slurm (CLI, as fireuser)
SACCT_FMT="--parsable2 --noheader --format='JobID,AllocNodes,Cluster,ExitCode,Group,Account,JobName,NodeList,Partition,Priority,State,Reason,ElapsedRaw,Submit,Start,End,Suspended,TimelimitRaw,User,WorkDir'"
SQUEUE_FMT="--noheader --Format='JobID:|,NumNodes:|,Cluster:||,GroupName:|,Account:|,Name:|,NodeList:|,Partition:|,PriorityLong:|,State:|,Reason:|,TimeUsed:|,SubmitTime:|,StartTime:|,EndTime:||,TimeLimit:|,UserName:|,WorkDir:'"
SCRIPT=$'#!/bin/bash\nfor i in 1 2 3\ndo\necho $i\ndone\n'
EVIL="'x' ; touch /tmp/test ; ''"

record ssh_sbatch_command "sbatch --export='ALL,PATH=/bin:/usr/bin/:/usr/local/bin/' --chdir=$(q "$B/jobs") --partition='debug' --account='hpcproj' --job-name='SbatchTest'" "$SCRIPT"
J1=$(job_id "$OUT_STDOUT")
run "sbatch --chdir=$(q "$B/jobs") --job-name='NameExists' --time='30'" "$SCRIPT"; J2=$(job_id "$OUT_STDOUT")
run "sbatch --chdir=$(q "$B/jobs") --job-name='Array' --array='1-2' --wrap='echo \$SLURM_ARRAY_TASK_ID'"; J3=$(job_id "$OUT_STDOUT")
run "sbatch --chdir=$(q "$B/jobs") --job-name='Sleeper' --output='sleeper-%j.out' --error='sleeper-%j.err' --wrap='sleep 120'"; J4=$(job_id "$OUT_STDOUT")
AS_USER=$SSH_USER2 run "sbatch --chdir=/tmp --job-name='OtherUser' --output=/dev/null --wrap=true"; J6=$(job_id "$OUT_STDOUT")
ssh_raw "sbatch --account='nosuchaccount' --wrap=true"
jq -n --arg c "sbatch --account='nosuchaccount' --wrap=true" --arg o "$OUT_STDOUT" --arg e "$OUT_STDERR" --argjson r "$OUT_RC" \
  '{command: $c, stdout: $o, stderr: $e, exit_code: $r}' >"$SSH_OUT/ssh_sbatch_command_invalid_account.json"
wait_done "$J1"; wait_done "$J2"; wait_done "$J3"; wait_done "$J6"
# The sleeper runs while its scontrol record and squeue row are recorded, then it is cancelled.
for i in $(seq 1 60); do [ "$(squeue -h -j "$J4" -o %T)" = RUNNING ] && break; sleep 0.5; done
record ssh_scontrol_job_command "SLURM_TIME_FORMAT='%s' scontrol show -o job '$J4'"
record ssh_scontrol_script_command "scontrol write batch_script '$J1' -"
record ssh_squeue_running_command "SLURM_TIME_FORMAT='%s' squeue --jobs='$J4' $SQUEUE_FMT"
record ssh_sacct_running_command "SLURM_TIME_FORMAT='%s' sacct --allusers --jobs='$J4' $SACCT_FMT"
record ssh_scancel_command "scancel --verbose '$J4'"
record ssh_scancel_unknown_command "scancel --verbose '99999999'"
wait_done "$J4"

record ssh_sacct_command "SLURM_TIME_FORMAT='%s' sacct --allusers --jobs='$J1' $SACCT_FMT"
record ssh_squeue_command "SLURM_TIME_FORMAT='%s' squeue --jobs='$J1' $SQUEUE_FMT"
record ssh_sacct_array_command "SLURM_TIME_FORMAT='%s' sacct --allusers --jobs='${J3}_1' $SACCT_FMT"
record ssh_sacct_name_command "SLURM_TIME_FORMAT='%s' sacct --name='NameExists' --starttime=now-24hours $SACCT_FMT"
record ssh_squeue_name_command "SLURM_TIME_FORMAT='%s' squeue --user='$SSH_USER' --name='NameExists' $SQUEUE_FMT"
record ssh_sacct_name_dont_exist_command "SLURM_TIME_FORMAT='%s' sacct --name='DontExist' --starttime=now-24hours $SACCT_FMT"
record ssh_squeue_name_dont_exist_command "SLURM_TIME_FORMAT='%s' squeue --user='$SSH_USER' --name='DontExist' $SQUEUE_FMT"
record ssh_sacct_name_not_ok_command "SLURM_TIME_FORMAT='%s' sacct --name=$(q "$EVIL") --starttime=now-24hours $SACCT_FMT"
record ssh_squeue_name_not_ok_command "SLURM_TIME_FORMAT='%s' squeue --user='$SSH_USER' --name=$(q "$EVIL") $SQUEUE_FMT"
record ssh_sacct_allusers_command "SLURM_TIME_FORMAT='%s' sacct --allusers --starttime=now-24hours $SACCT_FMT"
record ssh_squeue_allusers_command "SLURM_TIME_FORMAT='%s' squeue $SQUEUE_FMT"
record ssh_sacct_batch_script_command "sacct --jobs='$J1,$J2' --noheader --parsable2 --batch-script"
record ssh_sacctmgr_accounts "sacctmgr show assoc user='$SSH_USER' format=account -n --parsable2"
record ssh_sacctmgr_default_account "sacctmgr show user '$SSH_USER' format=defaultaccount -n --parsable2"
record ssh_sinfo_command "sinfo -a -N --noheader --format='%z|%c|%O|%e|%f|%N|%o|%n|%T|%R|%w|%v|%m|%C'"
record ssh_scontrol_partitions "scontrol -a show -o partitions"
record ssh_scontrol_ping "scontrol ping"
record ssh_scontrol_no_reservation_command "SLURM_TIME_FORMAT='%s' scontrol -a show -o reservations"

# A reservation far in the future, held only for the two reads below (a job without a time limit cannot start
# while it exists, so it is deleted at once).
RESV=f7t-transcripts
scontrol delete reservation="$RESV" >/dev/null 2>&1 || true
scontrol create reservation reservationname="$RESV" users="$SSH_USER" nodes=localhost starttime=2030-01-01T08:00:00 duration=120 flags=maint >/dev/null
trap 'scontrol delete reservation="$RESV" >/dev/null 2>&1 || true' EXIT
record ssh_scontrol_reservation_command "SLURM_TIME_FORMAT='%s' scontrol -a show -o reservations"
record ssh_scontrol_reservation_iso_command "scontrol -a show -o reservations"

# ------------------------------------------------------------------ slurmrestd 0.0.38 (Slurm 22.05)
TOKEN=$(scontrol token username="$SSH_USER" lifespan=300 | sed -n 's/^SLURM_JWT=//p')
rest() { # rest NAME METHOD PATH [BODY]
  local args=(-s --noproxy '*' --max-time 20 -X "$2" -H "X-SLURM-USER-NAME: $SSH_USER" -H "X-SLURM-USER-TOKEN: $TOKEN")
  [ $# -lt 4 ] || args+=(-H 'Content-Type: application/json' --data-binary "$4")
  curl "${args[@]}" "$SLURMRESTD_URL$3" | jq . >"$REST_OUT/$1.json"
  echo "record: slurmrestd-0.0.38/$1"
}
rest slurm_get_reservations GET /slurm/v0.0.38/reservations
scontrol delete reservation="$RESV" >/dev/null; trap - EXIT
rest slurm_get_nodes GET /slurm/v0.0.38/nodes
rest slurm_get_partitions GET /slurm/v0.0.38/partitions
rest slurm_get_job_from_db GET "/slurmdb/v0.0.38/job/$J1"
rest slurm_get_job_not_found_from_db GET /slurmdb/v0.0.38/job/99999999
rest slurm_get_allusers_jobs GET /slurm/v0.0.38/jobs
rest slurm_get_allusers_jobs_from_db GET "/slurmdb/v0.0.38/jobs?start_time=now-24hours"
BODY=$(jq -n --arg s "$SCRIPT" --arg d "$B/jobs" \
  '{job: {name: "RestTest", partition: "debug", current_working_directory: $d, time_limit: 5, environment: {F7T_version: "v2.0.0"}}, script: $s}')
rest slurm_submit_job POST /slurm/v0.0.38/job/submit "$BODY"
J5=$(jq -r .job_id "$REST_OUT/slurm_submit_job.json")
rest slurm_get_job GET "/slurm/v0.0.38/job/$J5"
rest slurm_cancel_job DELETE "/slurm/v0.0.38/job/$J5"

run "chmod 755 $B/readonly && rm -rf $B"
echo "record: job ids: sbatch $J1, NameExists $J2, array $J3, sleeper $J4, rest $J5, fireuser2 $J6"
