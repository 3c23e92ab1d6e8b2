#!/usr/bin/env bash
# Installs what the local test cluster needs and is missing: Debian packages (Slurm 22.05, munge, MariaDB,
# slurmdbd, slurmrestd, OpenSSH server/client, curl, iproute2, chromium for the browser test of /docs and /redoc,
# redis-server and haproxy for several replicas as one: replicas.sh, build.ps1 demo -Replicas N, the replica tests)
# and the npm packages of deploy/testenv (s3rver, oauth2-mock-server, playwright-core driving that chromium).
# Node.js comes from the machine; if absent, Debian's nodejs + npm are installed.
# Idempotent: a second run only checks. Run as root on Debian 12.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pkgs=(slurmctld slurmd slurm-client slurmdbd slurmrestd slurm-wlm-basic-plugins slurm-wlm-jwt-plugin munge
      mariadb-server openssh-server openssh-client curl iproute2 procps util-linux chromium redis-server haproxy)
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install: apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -o DPkg::Lock::Timeout=300 >/dev/null
  apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
fi
if [ ! -d "$here/node_modules/s3rver" ] || [ ! -d "$here/node_modules/oauth2-mock-server" ] \
   || [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "install: npm packages in $here"
  ( cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null )
fi
echo "install: ok"
