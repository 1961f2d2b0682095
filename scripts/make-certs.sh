#!/usr/bin/env bash
# make certs: a local certificate authority, and a server certificate it signed, for TLS on
# this machine, made with openssl (Debian: apt-get install openssl; macOS ships one).
#   scripts/make-certs.sh [DIR]     (default certs/; CERT_HOSTS adds names, see below)
# Writes, in DIR:
#   ca.pem          the CA's certificate: what clients trust (--ca certs/ca.pem, requests'
#                   verify=, grpc.ssl_channel_credentials(root_certificates=...))
#   ca-key.pem      the CA's private key: signs server certificates; keep it to yourself
#   server.pem      the servers' certificate (--tls-cert), for localhost and 127.0.0.1, and for
#                   every name or address in CERT_HOSTS (e.g. CERT_HOSTS="myhost 192.168.1.20"
#                   to reach the servers from another machine)
#   server-key.pem  its private key (--tls-key), PKCS#8, readable by you alone
# EC P-256 keys; the CA is valid 10 years, the server certificate 397 days (the most browsers
# accept). Existing files are kept: delete DIR to make new ones. .gitignore keeps DIR out of git.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-certs}

command -v openssl >/dev/null 2>&1 || {
  echo "make-certs: openssl was not found on PATH (Debian/Ubuntu: apt-get install openssl)" >&2
  exit 127
}
if [ -f "$dir/server.pem" ] && [ -f "$dir/server-key.pem" ] && [ -f "$dir/ca.pem" ]; then
  echo "make-certs: $dir/ already has ca.pem, server.pem and server-key.pem (delete $dir/ to make new ones)"
  exit 0
fi

names="DNS:localhost,IP:127.0.0.1,IP:::1"
for host in ${CERT_HOSTS:-}; do
  if [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then names+=",IP:$host"; else names+=",DNS:$host"; fi
done

mkdir -p "$dir"
umask 077   # the keys: readable by their owner only
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
  -subj "/CN=inferbench local CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$work/ca-key.pem" -out "$work/ca.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$work/server-key.pem" -out "$work/server.csr" 2>/dev/null
printf '%s\n' "subjectAltName=$names" "basicConstraints=critical,CA:FALSE" \
  "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" > "$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" -set_serial "0x$(openssl rand -hex 8)" \
  -days 397 -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null
openssl verify -CAfile "$work/ca.pem" "$work/server.pem" >/dev/null

chmod 644 "$work/ca.pem" "$work/server.pem"
mv "$work/ca.pem" "$work/ca-key.pem" "$work/server.pem" "$work/server-key.pem" "$dir/"
echo "make-certs: wrote $dir/ca.pem (trust this), $dir/server.pem and $dir/server-key.pem (the servers'),"
shown=${names//DNS:/}
echo "  for ${shown//IP:/}; $dir/ca-key.pem signs more. Then: make run-servers TLS=1"
