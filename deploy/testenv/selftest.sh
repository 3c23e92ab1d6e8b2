#!/usr/bin/env bash
# selftest.sh: checks a running local test cluster (after `cluster.sh up`) from the outside, using only cluster.env:
# ssh with each key (strict host-key checking), sbatch → COMPLETED in sacct for both users, account hpcproj2
# (allowed for fireuser, refused for fireuser2), pre-signed and freshly CA-signed certificates, OIDC tokens and their
# preferred_username, s3rver, slurmrestd ping with a Slurm JWT, file-system isolation. Prints "N passed, N failed".
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ENV_FILE=${FIRECREST_CLUSTER_ENV:-$HERE/../../.testenv/cluster.env}
[ -f "$ENV_FILE" ] || { echo "no $ENV_FILE: run cluster.sh up first" >&2; exit 1; }
set -a; . "$ENV_FILE"; set +a
pass=0; fail=0
ok()  { echo "PASS $*"; pass=$((pass+1)); }
bad() { echo "FAIL $*"; fail=$((fail+1)); }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
ssh_() { # ssh_ USER KEY [CERT] -- CMD
  local user=$1 key=$2 cert=(); shift 2
  if [ "$1" != "--" ]; then cert=(-o "CertificateFile=$1"); shift; fi; shift
  ssh -F /dev/null -p "$SSH_PORT" -i "$key" "${cert[@]}" -o IdentitiesOnly=yes -o BatchMode=yes \
      -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$SSH_KNOWN_HOSTS" "$user@$SSH_HOST" "$@"
}
ssh_user() { local u=$1 k=$2; shift 2; ssh_ "$u" "$k" -- "$@"; }
whoami_is() { [ "$(ssh_ "$@" -- whoami 2>/dev/null)" = "$1" ]; }   # whoami_is USER KEY [CERT]

# job_completes USER KEY [SBATCH ARGS]: submit over ssh, poll sacct until the row says COMPLETED.
job_completes() {
  local u=$1 k=$2 id st i; shift 2
  id=$(ssh_user "$u" "$k" sbatch --parsable "$@" --wrap true 2>&1) || { echo "  sbatch: $id"; return 1; }
  for i in $(seq 1 100); do
    st=$(ssh_user "$u" "$k" sacct -X -n -P -j "$id" -o State,Account,Cluster 2>/dev/null)
    [[ $st == COMPLETED\|* ]] && { echo "  job $id ($u): $st"; return 0; }
    sleep 0.3
  done
  echo "  job $id ($u) last state: $st"; return 1
}
refused_account() { local out; out=$(ssh_user fireuser2 "$SSH_KEY_FIREUSER2" sbatch -A hpcproj2 --wrap true 2>&1) && return 1
  echo "  refused: $out"; }
b64url_payload() { # JWT on stdin → decoded payload JSON (padding restored, so base64 -d exits 0)
  local p; p=$(cut -d. -f2 | tr '_-' '/+'); while [ $(( ${#p} % 4 )) -ne 0 ]; do p+="="; done; base64 -d <<<"$p"; }
claim() { # claim CLIENT SECRET → preferred_username of a fresh token
  curl -s --noproxy '*' -u "$1:$2" -d grant_type=client_credentials "$OIDC_TOKEN_URL" |
    sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' | b64url_payload |
    sed -n 's/.*"preferred_username":"\([^"]*\)".*/\1/p'
}
token_aud_iss() { curl -s --noproxy '*' -u "$DEMO_CLIENT_ID:$DEMO_CLIENT_SECRET" -d grant_type=client_credentials "$OIDC_TOKEN_URL" |
    sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' | b64url_payload |
    grep -F "\"iss\":\"$OIDC_ISSUER\"" | grep -F "\"aud\":\"$OIDC_AUDIENCE\"" >/dev/null; }
wrong_secret_401() { [ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -u "$DEMO_CLIENT_ID:nope" -d grant_type=client_credentials "$OIDC_TOKEN_URL")" = 401 ]; }
fresh_cert_fireuser2() {
  local d; d=$(mktemp -d)
  ssh-keygen -q -t ed25519 -N '' -f "$d/k" && ssh-keygen -q -s "$SSH_CA_KEY" -I selftest -n fireuser2 -V -1m:+5m "$d/k.pub" &&
    [ "$(ssh -F /dev/null -p "$SSH_PORT" -i "$d/k" -o "CertificateFile=$d/k-cert.pub" -o IdentitiesOnly=yes -o BatchMode=yes \
         -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$SSH_KNOWN_HOSTS" "fireuser2@$SSH_HOST" whoami 2>/dev/null)" = fireuser2 ]
  local rc=$?; rm -rf "$d"; return $rc
}
wrong_principal_refused() { # the fireuser cert must not log in as fireuser2
  ! ssh -F /dev/null -p "$SSH_PORT" -i "$SSH_CERT_KEY_FIREUSER" -o "CertificateFile=$SSH_CERT_FIREUSER" -o IdentitiesOnly=yes \
    -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$SSH_KNOWN_HOSTS" "fireuser2@$SSH_HOST" true 2>/dev/null
}
restd_ping() { local tok; tok=$(scontrol token username=fireuser lifespan=120 | cut -d= -f2)
  curl -s --noproxy '*' -H "X-SLURM-USER-NAME: fireuser" -H "X-SLURM-USER-TOKEN: $tok" "$SLURMRESTD_URL/slurm/v0.0.38/ping" |
    grep -E '"ping": *"UP"' >/dev/null; }
s3_answers() { [ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' "$S3_URL/")" = 200 ]; }
isolated() { ! ssh_user fireuser2 "$SSH_KEY_FIREUSER2" ls /home/fireuser >/dev/null 2>&1 &&
             ! ssh_user fireuser2 "$SSH_KEY_FIREUSER2" ls /scratch/fireuser >/dev/null 2>&1; }
partitions() { [ "$(sinfo -h -o %P | sort | tr '\n' ' ')" = "debug* long " ]; }

check "ssh fireuser ed25519 (strict host key)" whoami_is fireuser "$SSH_KEY_FIREUSER"
check "ssh fireuser rsa"                      whoami_is fireuser "$SSH_KEY_FIREUSER_RSA"
check "ssh fireuser2 ed25519"                 whoami_is fireuser2 "$SSH_KEY_FIREUSER2"
check "ssh fireuser pre-signed cert"          whoami_is fireuser "$SSH_CERT_KEY_FIREUSER" "$SSH_CERT_FIREUSER"
check "ssh fireuser2 cert signed now by CA"   fresh_cert_fireuser2
check "cert principal enforced"               wrong_principal_refused
check "partitions debug (default) + long"     partitions
check "sbatch fireuser COMPLETED"             job_completes fireuser "$SSH_KEY_FIREUSER"
check "sbatch fireuser2 COMPLETED"            job_completes fireuser2 "$SSH_KEY_FIREUSER2"
check "sbatch -A hpcproj2 fireuser"           job_completes fireuser "$SSH_KEY_FIREUSER" -A hpcproj2
check "sbatch -p long fireuser2"              job_completes fireuser2 "$SSH_KEY_FIREUSER2" -p long
check "sbatch -A hpcproj2 refused fireuser2"  refused_account
check "oidc token fireuser"                   test "$(claim "$DEMO_CLIENT_ID" "$DEMO_CLIENT_SECRET")" = fireuser
check "oidc token fireuser2"                  test "$(claim "$DEMO_CLIENT2_ID" "$DEMO_CLIENT2_SECRET")" = fireuser2
check "oidc iss/aud"                          token_aud_iss
check "oidc wrong secret 401"                 wrong_secret_401
check "s3rver answers"                        s3_answers
check "slurmrestd ping (JWT)"                 restd_ping
check "fireuser2 cannot read fireuser dirs"   isolated
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
