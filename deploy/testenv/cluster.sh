#!/usr/bin/env bash
# cluster.sh up|down|status|stop|forget-jobs: the LOCAL TEST CLUSTER of FirecrestAutomation, on loopback, without Docker or systemd.
#   up     installs what is missing (install.sh), then idempotently starts munge, MariaDB + slurmdbd, slurmctld,
#          slurmd (-N localhost), slurmrestd (JWT, 127.0.0.1:$SLURMRESTD_PORT), sshd (127.0.0.1:$SSH_PORT),
#          s3rver (127.0.0.1:$S3_PORT) and the OIDC issuer (127.0.0.1:$OIDC_PORT); waits until each one answers;
#          writes <repo>/.testenv/cluster.env (or $FIRECREST_CLUSTER_ENV) and the rendered demo config firecrest.yaml.
#   down   stops what `up` started, by the PIDs in $TESTENV_DIR/pids (nothing else).
#   status prints each service up/down; exit 0 when all are up.
#   forget-jobs PREFIX cancels the jobs named PREFIX… and deletes them from accounting (build.ps1 bench, after its run).
# Slurm cluster name: "cluster" (same as the FirecREST cluster name). Accounts, also POSIX groups: hpcproj (default of fireuser,
# fireuser2, root) and hpcproj2 (fireuser only). All state lives in $TESTENV_DIR (default /var/tmp/firecrest-testenv),
# shared by every checkout on the host (one Slurm per host). Run as root on Debian 12.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
T=${TESTENV_DIR:-/var/tmp/firecrest-testenv}
SSH_PORT=${SSH_PORT:-2222}
S3_PORT=${S3_PORT:-9000}
OIDC_PORT=${OIDC_PORT:-8080}
SLURMRESTD_PORT=${SLURMRESTD_PORT:-6820}
SLURMD_PORT=6818
OIDC_TOKEN_TTL=${OIDC_TOKEN_TTL:-300}
# Ports the streamer transfer jobs of the demo system "streamer" may bind on loopback (first free one wins); below the
# kernel's ephemeral range, so outgoing connections never hold them.
STREAMER_PORTS=${STREAMER_PORTS:-27100-27149}
OIDC_AUDIENCE=firecrest-api
OIDC_ISSUER="http://127.0.0.1:$OIDC_PORT"
OIDC_CLIENTS="firecrest-demo:demo-secret:fireuser,firecrest-demo2:demo-secret2:fireuser2"
S3_URL="http://127.0.0.1:$S3_PORT"
SLURMRESTD_URL="http://127.0.0.1:$SLURMRESTD_PORT"
CLUSTER_NAME=cluster
USERS=(fireuser fireuser2)
ENV_FILE=${FIRECREST_CLUSTER_ENV:-$REPO/.testenv/cluster.env}
CONFIG_OUT="$(dirname "$ENV_FILE")/firecrest.yaml"
CONFIG_REST_OUT="$(dirname "$ENV_FILE")/firecrest-rest.yaml"
SSHD_DIR=$T/ssh
KNOWN_HOSTS=$SSHD_DIR/known_hosts
JWT_KEY=$T/slurm/jwt_hs256.key
SERVICES=(munge mariadb slurmdbd slurmctld slurmd slurmrestd sshd s3rver oidc)

log() { echo "cluster: $*"; }
die() { echo "cluster: ERROR: $*" >&2; exit 1; }
md5() { cat "$@" 2>/dev/null | md5sum | cut -c1-32; }
curl_() { curl -s --noproxy '*' --max-time 5 "$@"; }

# ---------------------------------------------------------------- process bookkeeping (pid files in $T/pids)
pidfile() { echo "$T/pids/$1.pid"; }
# Expected executable (basename) and, for node services, a string that must be in the command line.
exe_of() { case $1 in munge) echo munged;; mariadb) echo mariadbd;; oidc|s3rver) echo node;; *) echo "$1";; esac; }
arg_of() { case $1 in oidc) echo oidc-issuer.mjs;; s3rver) echo s3rver;; *) echo "";; esac; }
# pid_ok NAME: the pid file names a live process that is the expected program (not a recycled pid).
pid_ok() {
  local f p exe arg
  f=$(pidfile "$1"); [ -s "$f" ] || return 1
  p=$(cat "$f"); [[ $p =~ ^[0-9]+$ ]] || return 1
  alive "$p" || return 1
  exe=$(readlink "/proc/$p/exe" 2>/dev/null) || return 1
  exe=$(basename "${exe% (deleted)}"); [[ $exe == "$(exe_of "$1")" || $exe == "$(exe_of "$1")"-wlm ]] || return 1
  arg=$(arg_of "$1")
  [ -z "$arg" ] || tr '\0' ' ' <"/proc/$p/cmdline" | grep -F -- "$arg" >/dev/null
}
pid_get() { cat "$(pidfile "$1")"; }
# alive PID: exists and is not a zombie (PID 1 here does not reap orphans at once, and kill -0 succeeds on zombies).
alive() { local st; st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1; [ -n "$st" ] && [ "${st:0:1}" != Z ]; }
# listens PID PORT: that process owns the listening socket on 127.0.0.1:PORT.
listens() { ss -Hltnp "sport = :$2" 2>/dev/null | grep -F "pid=$1," >/dev/null; }
# launch NAME DIR CMD...: start CMD in its own session, log to $T/logs/NAME.out, pid to $T/pids/NAME.pid (E9).
launch() {
  local name=$1 dir=$2 out; shift 2
  out=$T/logs/$name.out
  [ -f "$out" ] && mv -f "$out" "$out.prev"
  ( cd "$dir" || exit 1; setsid "$@" >"$out" 2>&1 </dev/null 9>&- & echo $! >"$(pidfile "$name")" )   # 9 = lock fd
}
stop_svc() {
  local name=$1 p i
  pid_ok "$name" || { rm -f "$(pidfile "$name")" "$T/pids/$name.stamp"; return 0; }
  p=$(pid_get "$name")
  kill "$p" 2>/dev/null || true; kill -CONT "$p" 2>/dev/null || true   # a stopped process acts on TERM only once continued
  for i in $(seq 1 200); do alive "$p" || break; sleep 0.1; done
  if alive "$p"; then kill -9 "$p" 2>/dev/null || true; sleep 0.2; fi
  rm -f "$(pidfile "$name")" "$T/pids/$name.stamp"
}

# ---------------------------------------------------------------- health checks (does the service answer?)
ssh_as() { # ssh_as USER KEY [CERT] -- CMD...
  local user=$1 key=$2 cert=() ; shift 2
  if [ "$1" != "--" ]; then cert=(-o "CertificateFile=$1"); shift; fi; shift
  ssh -F /dev/null -p "$SSH_PORT" -i "$key" "${cert[@]}" -o IdentitiesOnly=yes -o BatchMode=yes \
      -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$KNOWN_HOSTS" -o ConnectTimeout=5 "$user@127.0.0.1" "$@"
}
node_state() { sinfo -h -N -n localhost -o %T 2>/dev/null | head -1; }
slurm_token() { scontrol token username="$1" lifespan="${2:-300}" 2>/dev/null | sed -n 's/^SLURM_JWT=//p'; }
health() {
  case $1 in
    munge)      munge -n 2>/dev/null | unmunge >/dev/null 2>&1 ;;
    mariadb)    mariadb -e 'select 1' >/dev/null 2>&1 ;;
    slurmdbd)   timeout 10 sacctmgr -n -P show cluster format=cluster >/dev/null 2>&1 ;;
    slurmctld)  timeout 10 scontrol ping 2>/dev/null | grep -F 'is UP' >/dev/null ;;
    # Something must listen on SlurmdPort: after an unclean stop, slurmctld recovers the node as idle or allocated
    # and reports it so until SlurmdTimeout passes, though no slurmd runs.
    slurmd)     ss -Hltn "sport = :$SLURMD_PORT" 2>/dev/null | grep . >/dev/null &&
                [[ $(node_state) =~ ^(idle|mixed|allocated|completing)$ ]] ;;
    slurmrestd) local tok; tok=$(slurm_token fireuser 60); [ -n "$tok" ] &&
                curl_ -H "X-SLURM-USER-NAME: fireuser" -H "X-SLURM-USER-TOKEN: $tok" \
                  "$SLURMRESTD_URL/slurm/v0.0.38/ping" | grep -E '"ping": *"UP"' >/dev/null ;;
    sshd)       ssh_as fireuser "$SSHD_DIR/fireuser/id_ed25519" -- true >/dev/null 2>&1 ;;
    s3rver)     [ "$(curl_ -o /dev/null -w '%{http_code}' "$S3_URL/")" = 200 ] ;;
    oidc)       curl_ "$OIDC_ISSUER/.well-known/openid-configuration" | grep -F "\"issuer\":\"$OIDC_ISSUER\"" >/dev/null ;;
  esac
}
# port_of NAME: the TCP port a service listens on (empty for the others).
port_of() {
  case $1 in sshd) echo "$SSH_PORT";; s3rver) echo "$S3_PORT";; slurmrestd) echo "$SLURMRESTD_PORT";; slurmd) echo "$SLURMD_PORT";; oidc) echo "$OIDC_PORT";; esac
}
# ready NAME PID: health + (for TCP services) the socket belongs to PID, so an older instance cannot fool us.
ready() {
  local port; port=$(port_of "$1")
  if [ -n "$port" ]; then listens "$2" "$port" || return 1; fi
  if [ "$1" = oidc ]; then grep '^oidc-issuer ready' "$T/logs/oidc.out" >/dev/null || return 1; fi
  health "$1"
}

# ---------------------------------------------------------------- generic "ensure running" with a config stamp
STARTED=()
TIMINGS=()
# ensure NAME STAMP TIMEOUT START_FUNCTION: keep a running instance whose stamp (config digest) is unchanged,
# restart it when the stamp changed, accept a healthy instance not started by us, else start and wait.
ensure() {
  local name=$1 stamp=$2 timeout=$3 start=$4 p deadline sf="$T/pids/$1.stamp" resumed=0
  if pid_ok "$name"; then
    if [ "$(cat "$sf" 2>/dev/null)" != "$stamp" ]; then
      log "$name: configuration changed, restarting"; stop_svc "$name"
    else
      p=$(pid_get "$name"); deadline=$((SECONDS + timeout))
      while [ $SECONDS -lt $deadline ]; do ready "$name" "$p" && return 0; pid_ok "$name" || break; sleep 0.2; done
      log "$name: pid $p runs but does not answer, restarting"; stop_svc "$name"
    fi
  elif health "$name"; then
    log "$name: already answering, not started by cluster.sh (left alone)"; return 0
  fi
  STARTED+=("$name")
  # A second start when the first does not answer in time: once in CI sshd listened but no connection reached it
  # within its wait, for a reason the logs did not show; a start that hangs so gets one more chance, and diagnose
  # leaves what to read either way.
  local attempt
  for attempt in 1 2; do
    "$start"
    echo "$stamp" >"$sf"
    p=$(pid_get "$name"); deadline=$((SECONDS + timeout))
    # By the clock, not by attempts: a health check that waits on a silent server takes seconds of its own.
    while [ $SECONDS -lt $deadline ]; do
      if ! alive "$p"; then
        diagnose "$name" "$p"
        die "$name (pid $p) exited during start"
      fi
      ready "$name" "$p" && return 0
      if [ "$name" = slurmd ] && [ $resumed = 0 ] && [[ $(node_state) =~ drain ]]; then
        scontrol update nodename=localhost state=resume >/dev/null 2>&1 || true; resumed=1
      fi
      sleep 0.2
    done
    diagnose "$name" "$p"
    [ $attempt = 2 ] || { log "$name (pid $p) did not answer within ${timeout}s, starting it once more"; stop_svc "$name"; }
  done
  die "$name did not answer within ${timeout}s"
}
# diagnose NAME PID: what a failed start leaves to read (its output, who owns its port, and for sshd its log and the
# health check's own words).
diagnose() {
  local port; port=$(port_of "$1")
  echo "--- $T/logs/$1.out:" >&2; tail -n 30 "$T/logs/$1.out" >&2 || true
  echo "--- pid $2 at $(date +%T):" >&2; ps -o pid=,stat=,etime=,wchan:32=,args= -p "$2" >&2 || echo "(gone)" >&2
  if [ -n "$port" ]; then
    echo "--- listening on port $port (expected pid $2):" >&2; ss -Hltnp "sport = :$port" >&2 || true
  fi
  if [ "$1" = sshd ]; then
    echo "--- $T/logs/sshd.log (last lines):" >&2; tail -n 15 "$T/logs/sshd.log" >&2 || true
    echo "--- the health check:" >&2
    ssh_as fireuser "$SSHD_DIR/fireuser/id_ed25519" -- true 2>&1 | tail -n 15 >&2 || true
  fi
}
STEP_T0=0
step_begin() { STEP_T0=$EPOCHREALTIME; }
step_end() { TIMINGS+=("$1 $(awk -v a="$EPOCHREALTIME" -v b="$STEP_T0" 'BEGIN{printf "%.1fs", a-b}')"); }

# write_if_changed FILE MODE OWNER < content: rewrite FILE only if its content differs.
write_if_changed() {
  local f=$1 mode=$2 owner=$3 tmp
  tmp=$(mktemp); cat >"$tmp"
  if [ -f "$f" ] && cmp -s "$tmp" "$f"; then rm -f "$tmp"
  else install -m "$mode" -o "${owner%:*}" -g "${owner#*:}" "$tmp" "$f"; rm -f "$tmp"; fi
  chmod "$mode" "$f"; chown "$owner" "$f"
}

# ---------------------------------------------------------------- up: steps
setup_users_and_dirs() {
  install -d -m 755 "$T" "$T/pids" "$T/logs" "$T/slurm" "$T/s3" "$T/s3data" "$T/oidc" "$SSHD_DIR"
  local u
  for u in "${USERS[@]}"; do
    id "$u" >/dev/null 2>&1 || useradd -m -U -s /bin/bash "$u"
    [ "$(getent shadow "$u" | cut -d: -f2)" = '*' ] || usermod -p '*' "$u"      # E1: unlocked, no password
    chmod 700 "/home/$u"
  done
  # Projects are POSIX groups that are also Slurm accounts (as at a centre): fireuser in hpcproj and hpcproj2,
  # fireuser2 in hpcproj. Only added, never removed, so re-running on a live cluster is safe.
  local g member
  for g in hpcproj hpcproj2; do getent group "$g" >/dev/null || groupadd "$g"; done
  for member in fireuser:hpcproj fireuser:hpcproj2 fireuser2:hpcproj; do
    id -nG "${member%%:*}" | tr ' ' '\n' | grep -Fx "${member#*:}" >/dev/null || usermod -aG "${member#*:}" "${member%%:*}"
  done
  install -d -m 755 -o root -g root /scratch
  for u in "${USERS[@]}"; do install -d -m 700 -o "$u" -g "$u" "/scratch/$u"; done
  [ -f "$T/s3/secret_access_key" ] || echo S3RVER >"$T/s3/secret_access_key"
  chmod 600 "$T/s3/secret_access_key"
}

keygen() { [ -f "$1" ] || ssh-keygen -q -t "$2" ${3:+-b $3} -N '' -C "$4" -f "$1"; }
# The pre-signed cert of fireuser: re-signed only when missing, signed by another CA, or valid < 1 more day.
cert_needs_signing() {
  local cert=$1 ca=$2 to
  [ -f "$cert" ] || return 0
  ssh-keygen -L -f "$cert" 2>/dev/null | grep -F "$(ssh-keygen -l -f "$ca.pub" | awk '{print $2}')" >/dev/null || return 0
  to=$(ssh-keygen -L -f "$cert" | sed -n 's/.*Valid: from .* to \(.*\)$/\1/p')
  [ "$(date -d "$to" +%s 2>/dev/null || echo 0)" -gt "$(( $(date +%s) + 86400 ))" ] && return 1 || return 0
}
setup_ssh() {
  local D=$SSHD_DIR u
  install -d -m 755 "$D/host" "$D/ca"
  keygen "$D/host/ssh_host_ed25519_key" ed25519 "" "firecrest-testenv-host"
  keygen "$D/host/ssh_host_rsa_key" rsa 3072 "firecrest-testenv-host"
  keygen "$D/ca/user_ca" ed25519 "" "firecrest-testenv-user-ca"
  for u in "${USERS[@]}"; do install -d -m 700 "$D/$u"; keygen "$D/$u/id_ed25519" ed25519 "" "$u-ed25519"; done
  keygen "$D/fireuser/id_rsa" rsa 3072 "fireuser-rsa"
  keygen "$D/fireuser/id_cert" ed25519 "" "fireuser-cert"
  if cert_needs_signing "$D/fireuser/id_cert-cert.pub" "$D/ca/user_ca"; then
    ssh-keygen -q -s "$D/ca/user_ca" -I fireuser-cert -n fireuser -V -5m:+30d -z 1 "$D/fireuser/id_cert.pub"
  fi
  # authorized_keys (the cert key is NOT in it: it logs in through TrustedUserCAKeys only)
  for u in "${USERS[@]}"; do
    install -d -m 700 -o "$u" -g "$u" "/home/$u/.ssh"
    { cat "$D/$u/id_ed25519.pub"; [ "$u" != fireuser ] || cat "$D/$u/id_rsa.pub"; } |
      write_if_changed "/home/$u/.ssh/authorized_keys" 600 "$u:$u"
  done
  { for k in ed25519 rsa; do echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1-2 "$D/host/ssh_host_${k}_key.pub")"; done; } |
    write_if_changed "$KNOWN_HOSTS" 644 root:root
  install -d -m 755 /run/sshd                                      # privilege separation dir
  write_if_changed "$D/sshd_config" 644 root:root <<CONF
# generated by deploy/testenv/cluster.sh
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $D/host/ssh_host_ed25519_key
HostKey $D/host/ssh_host_rsa_key
PidFile $T/pids/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
TrustedUserCAKeys $D/ca/user_ca.pub
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
MaxSessions 50
MaxStartups 50:30:100
LogLevel VERBOSE
Subsystem sftp /usr/lib/openssh/sftp-server
CONF
  /usr/sbin/sshd -t -f "$D/sshd_config" || die "sshd_config invalid"
}

setup_munge() {
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create --keyfile=/etc/munge/munge.key; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
  fi
  install -d -o munge -g munge -m 755 /run/munge
  touch "$T/logs/munged.log"; chown munge:munge "$T/logs/munged.log"
}
start_munge() { launch munge / setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F --log-file="$T/logs/munged.log"; }

setup_mariadb() {
  install -d -o mysql -g mysql -m 755 /run/mysqld
  [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
}
start_mariadb() {
  launch mariadb / /usr/sbin/mariadbd --user=mysql --bind-address=127.0.0.1 --socket=/run/mysqld/mysqld.sock \
    --pid-file=/run/mysqld/mysqld.pid
}
setup_mariadb_db() {
  mariadb -e "CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'slurmpw'; CREATE DATABASE IF NOT EXISTS slurm_acct_db; GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';"
}

setup_slurm_conf() {
  local mem
  install -d -o slurm -g slurm -m 755 /var/lib/slurm/slurmctld
  install -d -m 755 /var/lib/slurm/slurmd
  if [ ! -s "$JWT_KEY" ]; then dd if=/dev/urandom of="$JWT_KEY" bs=32 count=1 2>/dev/null; fi
  chown slurm:slurm "$JWT_KEY"; chmod 600 "$JWT_KEY"
  for f in slurmctld.log slurmdbd.log; do touch "$T/logs/$f"; chown slurm:slurm "$T/logs/$f"; done
  mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)
  write_if_changed /etc/slurm/slurm.conf 644 root:root <<CONF
# generated by deploy/testenv/cluster.sh (local test cluster; see deploy/testenv/README.md)
ClusterName=$CLUSTER_NAME
SlurmctldHost=localhost
SlurmUser=slurm
SlurmctldPort=6817
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
CredType=cred/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$JWT_KEY
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=$T/pids/slurmctld.pid
SlurmdPidFile=$T/pids/slurmd.pid
SlurmctldLogFile=$T/logs/slurmctld.log
SlurmdLogFile=$T/logs/slurmd.log
MpiDefault=none
MailProg=/bin/true
SwitchType=switch/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=6819
AccountingStorageEnforce=associations
AccountingStoreFlags=job_script,job_env
JobCompType=jobcomp/none
MinJobAge=300
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=localhost NodeAddr=127.0.0.1 CPUs=8 RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
PartitionName=long  Nodes=localhost Default=NO  MaxTime=7-00:00:00 State=UP
CONF
  write_if_changed /etc/slurm/slurmdbd.conf 600 slurm:slurm <<CONF
# generated by deploy/testenv/cluster.sh
AuthType=auth/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$JWT_KEY
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=6819
SlurmUser=slurm
LogFile=$T/logs/slurmdbd.log
PidFile=$T/pids/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=localhost
StoragePort=3306
StorageUser=slurm
StoragePass=slurmpw
StorageLoc=slurm_acct_db
CONF
}
start_slurmdbd()   { launch slurmdbd / /usr/sbin/slurmdbd -D; }
start_slurmctld()  { launch slurmctld / /usr/sbin/slurmctld -D; }
start_slurmd()     { launch slurmd / /usr/sbin/slurmd -D -N localhost; }
start_slurmrestd() {
  launch slurmrestd / env SLURM_JWT=daemon /usr/sbin/slurmrestd -u nobody -g nogroup -a rest_auth/jwt \
    "127.0.0.1:$SLURMRESTD_PORT"
}
start_sshd()   { launch sshd / /usr/sbin/sshd -D -f "$SSHD_DIR/sshd_config" -E "$T/logs/sshd.log"; }
start_s3rver() { launch s3rver "$HERE" node node_modules/s3rver/bin/s3rver.js -d "$T/s3data" -a 127.0.0.1 -p "$S3_PORT" --silent; }
start_oidc() {
  launch oidc "$HERE" env OIDC_HOST=127.0.0.1 OIDC_PORT="$OIDC_PORT" OIDC_ISSUER="$OIDC_ISSUER" \
    OIDC_AUDIENCE="$OIDC_AUDIENCE" OIDC_TOKEN_TTL="$OIDC_TOKEN_TTL" OIDC_CLIENTS="$OIDC_CLIENTS" \
    OIDC_KEY_FILE="$T/oidc/oidc-key.json" node oidc-issuer.mjs
}

# Slurm accounting objects: cluster, accounts hpcproj/hpcproj2, users (E8: -P and grep >/dev/null, no grep -q).
setup_accounting() {
  local assoc a u
  assoc=$(sacctmgr -n -P show assoc format=cluster,account,user)     # one query: sacctmgr costs ~0.2 s per call
  grep "^$CLUSTER_NAME|" <<<"$assoc" >/dev/null || sacctmgr -i add cluster "$CLUSTER_NAME" >/dev/null
  local missing=()
  for a in hpcproj hpcproj2; do grep -Fx "$CLUSTER_NAME|$a|" <<<"$assoc" >/dev/null || missing+=("$a"); done
  if [ ${#missing[@]} -gt 0 ]; then
    sacctmgr -i add account "$(IFS=,; echo "${missing[*]}")" Cluster="$CLUSTER_NAME" Description=test Organization=test >/dev/null
  fi
  missing=()
  for u in fireuser fireuser2 root; do grep -Fx "$CLUSTER_NAME|hpcproj|$u" <<<"$assoc" >/dev/null || missing+=("$u"); done
  if [ ${#missing[@]} -gt 0 ]; then
    sacctmgr -i add user "$(IFS=,; echo "${missing[*]}")" Account=hpcproj DefaultAccount=hpcproj Cluster="$CLUSTER_NAME" >/dev/null
  fi
  grep -Fx "$CLUSTER_NAME|hpcproj2|fireuser" <<<"$assoc" >/dev/null ||
    sacctmgr -i add user fireuser Account=hpcproj2 Cluster="$CLUSTER_NAME" >/dev/null
}

# Render deploy/demo/firecrest.yaml (pure bash) and write cluster.env.
write_outputs() {
  local tpl name val
  install -d -m 755 "$(dirname "$ENV_FILE")"
  [[ $STREAMER_PORTS =~ ^([0-9]+)-([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -le "${BASH_REMATCH[2]}" ] ||
    die "STREAMER_PORTS must be FIRST-LAST (got '$STREAMER_PORTS')"
  local STREAMER_FIRST_PORT=${BASH_REMATCH[1]} STREAMER_LAST_PORT=${BASH_REMATCH[2]}
  # The streamer program the transfer jobs run (as the job's user): build.ps1 build publishes it here, one folder per
  # checkout, outside the checkout so that any user can reach it.
  local STREAMER_PATH
  STREAMER_PATH="$T/streamer/$(printf '%s' "$REPO" | md5sum | cut -c1-12)/firecrest-streamer"
  install -d -m 755 "$T/streamer" "$(dirname "$STREAMER_PATH")"
  tpl=$(<"$REPO/deploy/demo/firecrest.yaml")
  for name in SSH_PORT TESTENV_DIR S3_URL OIDC_ISSUER OIDC_AUDIENCE SLURMRESTD_URL STREAMER_FIRST_PORT STREAMER_LAST_PORT STREAMER_PATH; do
    case $name in TESTENV_DIR) val=$T;; *) val=${!name};; esac
    tpl=${tpl//"\${$name}"/$val}
  done
  ! grep -v '^ *#' <<<"$tpl" | grep -F '${' >/dev/null || die "unreplaced placeholder in deploy/demo/firecrest.yaml"
  printf '# RENDERED by deploy/testenv/cluster.sh up from deploy/demo/firecrest.yaml: edit the template, not this file\n%s\n' "$tpl" |
    write_if_changed "$CONFIG_OUT" 600 root:root
  # The same system with the scheduler over slurmrestd only (connection_mode rest; tokens minted with Slurm's key).
  grep -F 'connection_mode: "ssh"' <<<"$tpl" >/dev/null || die "deploy/demo/firecrest.yaml lost its connection_mode line"
  tpl=${tpl//'connection_mode: "ssh"'/'connection_mode: "rest"'}
  tpl=${tpl//'    api_version: "0.0.38"'/"    api_version: \"0.0.38\"
    jwt_key_file: \"$JWT_KEY\""}
  printf '# RENDERED by deploy/testenv/cluster.sh up from deploy/demo/firecrest.yaml (connection_mode rest): do not edit\n%s\n' "$tpl" |
    write_if_changed "$CONFIG_REST_OUT" 600 root:root
  # 600: both hold the demo issuer's client secrets, with which any cluster user could become another.
  write_if_changed "$ENV_FILE" 600 root:root <<ENV
# generated by deploy/testenv/cluster.sh up: the local test cluster (loopback)
TESTENV_DIR=$T
SSH_HOST=127.0.0.1
SSH_PORT=$SSH_PORT
SSH_KNOWN_HOSTS=$KNOWN_HOSTS
SSH_USER=fireuser
SSH_USER2=fireuser2
SSH_KEY_FIREUSER=$SSHD_DIR/fireuser/id_ed25519
SSH_KEY_FIREUSER_RSA=$SSHD_DIR/fireuser/id_rsa
SSH_KEY_FIREUSER2=$SSHD_DIR/fireuser2/id_ed25519
SSH_CERT_KEY_FIREUSER=$SSHD_DIR/fireuser/id_cert
SSH_CERT_FIREUSER=$SSHD_DIR/fireuser/id_cert-cert.pub
SSH_CA_KEY=$SSHD_DIR/ca/user_ca
SSH_CA_PUB=$SSHD_DIR/ca/user_ca.pub
SSH_MAX_SESSIONS=50
S3_URL=$S3_URL
S3_ACCESS_KEY=S3RVER
S3_SECRET_KEY=S3RVER
S3_REGION=us-east-1
S3_DATA_DIR=$T/s3data
OIDC_ISSUER=$OIDC_ISSUER
OIDC_TOKEN_URL=$OIDC_ISSUER/token
OIDC_JWKS_URL=$OIDC_ISSUER/jwks
OIDC_AUDIENCE=$OIDC_AUDIENCE
OIDC_TOKEN_TTL=$OIDC_TOKEN_TTL
DEMO_CLIENT_ID=firecrest-demo
DEMO_CLIENT_SECRET=demo-secret
DEMO_CLIENT2_ID=firecrest-demo2
DEMO_CLIENT2_SECRET=demo-secret2
SLURMRESTD_URL=$SLURMRESTD_URL
SLURM_JWT_KEY=$JWT_KEY
SLURM_CLUSTER=$CLUSTER_NAME
SLURM_ACCOUNT=hpcproj
SLURM_ACCOUNT2=hpcproj2
SCRATCH_DIR=/scratch
FIRECREST_CONFIG=$CONFIG_OUT
FIRECREST_CONFIG_REST=$CONFIG_REST_OUT
STREAMER_SYSTEM=streamer
STREAMER_PATH=$STREAMER_PATH
STREAMER_PORTS=$STREAMER_PORTS
ENV
}

cmd_up() {
  local t0=$EPOCHREALTIME
  [ "$(id -u)" = 0 ] || die "run as root"
  step_begin; bash "$HERE/install.sh" | grep -v '^install: ok$' || true; step_end install
  step_begin; setup_users_and_dirs; setup_ssh; setup_munge; setup_mariadb; setup_slurm_conf; step_end files
  step_begin; ensure munge "$(md5 /etc/munge/munge.key)" 15 start_munge; step_end munge
  step_begin; ensure mariadb v1 60 start_mariadb; setup_mariadb_db; step_end mariadb
  step_begin; ensure slurmdbd "$(md5 /etc/slurm/slurmdbd.conf "$JWT_KEY")" 60 start_slurmdbd; setup_accounting; step_end slurmdbd
  step_begin
  ensure slurmctld "$(md5 /etc/slurm/slurm.conf "$JWT_KEY")" 60 start_slurmctld
  ensure slurmd "$(md5 /etc/slurm/slurm.conf)" 90 start_slurmd
  step_end slurm
  step_begin; ensure slurmrestd "$SLURMRESTD_PORT $(md5 /etc/slurm/slurm.conf)" 30 start_slurmrestd; step_end slurmrestd
  step_begin; ensure sshd "$(md5 "$SSHD_DIR/sshd_config" "$SSHD_DIR"/host/*.pub)" 60 start_sshd; step_end sshd
  step_begin; ensure s3rver "$S3_PORT $T/s3data" 30 start_s3rver; step_end s3rver
  step_begin; ensure oidc "$OIDC_ISSUER $OIDC_TOKEN_TTL $OIDC_CLIENTS" 30 start_oidc; step_end oidc
  step_begin; write_outputs; step_end outputs
  local total; total=$(awk -v a="$EPOCHREALTIME" -v b="$t0" 'BEGIN{printf "%.1fs", a-b}')
  local s; s=$(IFS=,; echo "${TIMINGS[*]}")
  echo "cluster up in $total [${s//,/, }]; started: ${STARTED[*]:-nothing}; env: $ENV_FILE"
}

cmd_down() {
  local i
  for (( i=${#SERVICES[@]}-1; i>=0; i-- )); do
    if pid_ok "${SERVICES[$i]}"; then log "stopping ${SERVICES[$i]} (pid $(pid_get "${SERVICES[$i]}"))"; fi
    stop_svc "${SERVICES[$i]}"
  done
  log "down"
}

cmd_status() {
  local s rc=0
  for s in "${SERVICES[@]}"; do
    if pid_ok "$s" && health "$s"; then printf '%-11s up   (pid %s)\n' "$s" "$(pid_get "$s")"
    elif health "$s"; then printf '%-11s up   (not started by cluster.sh)\n' "$s"
    elif pid_ok "$s"; then printf '%-11s DOWN (pid %s runs but does not answer)\n' "$s" "$(pid_get "$s")"; rc=1
    else printf '%-11s DOWN\n' "$s"; rc=1; fi
  done
  return $rc
}

# up and down are serialised across checkouts by a lock in $T (fd 9, closed in every launched daemon).
lock() { install -d -m 755 "$T"; exec 9>>"$T/cluster.lock"; flock -w 600 9 || die "another cluster.sh holds $T/cluster.lock"; }
# stop SERVICE: stops one service that `up` started (fault-injection tests); `up` brings it back.
cmd_stop() {
  local svc=${1:-} s
  for s in "${SERVICES[@]}"; do
    if [ "$s" = "$svc" ]; then
      if pid_ok "$svc"; then log "stopping $svc (pid $(pid_get "$svc"))"; fi
      stop_svc "$svc"
      return 0
    fi
  done
  die "stop: unknown service '$svc' (one of: ${SERVICES[*]})"
}

# forget-jobs PREFIX: removes from accounting every job whose name starts with PREFIX, after cancelling those still queued.
# The bench submits thousands of jobs; left in accounting, they slow every later 24-hour job listing of the same user.
cmd_forget_jobs() {
  local prefix=${1:-} cutoff ids want ended i
  [[ $prefix =~ ^[A-Za-z0-9_-]+$ ]] || die "forget-jobs: the name prefix must be letters, digits, '_' or '-'"
  squeue --noheader --format='%i %j' 2>/dev/null | awk -v p="$prefix" 'index($2, p) == 1 { print $1 }' | xargs -r scancel 2>/dev/null || true
  # The jobs cancelled now or ended in the last 2 minutes (ISO times compare as text; a job without an end time counts):
  # their records may still be on their way to accounting, and one that lands after the delete stays. Wait until
  # accounting holds the end of each, at most 60 s.
  cutoff=$(date -d '-120 sec' +%Y-%m-%dT%H:%M:%S)
  ids=$(squeue --noheader --states=all --format='%i %j %e' 2>/dev/null |
    awk -v p="$prefix" -v c="$cutoff" 'index($2, p) == 1 && $3 >= c { print $1 }' | paste -sd, -)
  if [ -n "$ids" ]; then
    want=$(tr ',' '\n' <<<"$ids" | wc -l)
    for i in $(seq 1 120); do
      ended=$(sacct -X -n -P -j "$ids" --format=state 2>/dev/null | grep -cvE '^(PENDING|RUNNING|REQUEUED|SUSPENDED|)$' || true)
      [ "$ended" -ge "$want" ] && break
      sleep 0.5
    done
  fi
  mariadb slurm_acct_db -e "DELETE s FROM cluster_step_table s JOIN cluster_job_table j ON s.job_db_inx = j.job_db_inx WHERE j.job_name LIKE '${prefix//_/\\_}%'; DELETE FROM cluster_job_table WHERE job_name LIKE '${prefix//_/\\_}%'; SELECT ROW_COUNT() AS forgotten_jobs;"
}

case ${1:-} in
  up) lock; cmd_up ;;
  forget-jobs) cmd_forget_jobs "${2:-}" ;;
  down) lock; cmd_down ;;
  stop) lock; cmd_stop "${2:-}" ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status|stop SERVICE|forget-jobs PREFIX" >&2; exit 2 ;;
esac
