#!/usr/bin/env bash
# The original's Python client against both servers over TLS: requests (verify=CA) and grpcio
# (ssl_channel_credentials), with a CA and an RSA server certificate made here by openssl
# alone, not by the project. Both servers must answer, refuse plaintext clients, and keep
# serving TLS clients while other connections stall in the middle of a handshake
# (scripts/python_client.py). Debian's python3 packages; installs them when missing (as root).
#   scripts/test-python-client.sh      needs the jars (make build); loopback ports only
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/testlib.sh

PYTHON=/usr/bin/python3   # Debian's, whose grpcio and requests come from apt
REST_JAR=server-rest/target/server-rest.jar
GRPC_JAR=server-grpc/target/server-grpc.jar
for jar in "$REST_JAR" "$GRPC_JAR"; do
  [ -f "$jar" ] || { echo "python-client: $jar is missing: run make build" >&2; exit 1; }
done
if ! "$PYTHON" -c 'import grpc, requests, google.protobuf' 2>/dev/null || ! command -v protoc >/dev/null \
    || ! command -v openssl >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q --no-install-recommends python3-grpcio python3-requests \
    python3-protobuf protobuf-compiler openssl >/dev/null || { echo "python-client: cannot install the packages" >&2; exit 1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/python-client.XXXXXX")
rest_pid= grpc_pid=
cleanup() {
  [ -n "$rest_pid" ] && stop_process "$rest_pid" 30 >/dev/null 2>&1
  [ -n "$grpc_pid" ] && stop_process "$grpc_pid" 30 >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
die() {
  echo "python-client: FAILED: $*" >&2
  tail -n 20 "$work"/*.log >&2
  exit 1
}

# A CA and a server certificate for localhost, RSA this time, as anyone makes them with openssl.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=python check CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -keyout "$work/ca-key.pem" -out "$work/ca.pem" 2>/dev/null || die "openssl could not make the CA"
openssl req -new -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/key.pem" -out "$work/csr.pem" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$work/ext"
openssl x509 -req -in "$work/csr.pem" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" -set_serial 1 -days 2 \
  -extfile "$work/ext" -out "$work/cert.pem" 2>/dev/null || die "openssl could not sign the certificate"
protoc --proto_path=proto --python_out="$work" proto/img_service.proto || die "protoc failed"

rest_port=$(free_port) grpc_port=$(free_port)
tls=(--tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --bind 127.0.0.1 --header-timeout 3)
java -jar "$REST_JAR" --port "$rest_port" --storage "$work/rest" "${tls[@]}" >"$work/rest.log" 2>&1 &
rest_pid=$!
java -jar "$GRPC_JAR" --port "$grpc_port" --metrics-port 0 --storage "$work/grpc" "${tls[@]}" >"$work/grpc.log" 2>&1 &
grpc_pid=$!
probe=(--probe --tls --ca "$work/ca.pem" --host localhost)
wait_healthy "$rest_pid" 60 java -jar "$REST_JAR" "${probe[@]}" --port "$rest_port" || die "REST not healthy"
wait_healthy "$grpc_pid" 60 java -jar "$GRPC_JAR" "${probe[@]}" --port "$grpc_port" || die "gRPC not healthy"
grep -h "TLSv1.3" "$work/rest.log" "$work/grpc.log"

"$PYTHON" scripts/python_client.py "$rest_port" "$grpc_port" "$work/ca.pem" samples/face.jpg "$work" \
  || die "the Python client's checks"
echo "python-client: both servers answered the original's Python client over TLS and refused plaintext"
