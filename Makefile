# Every target goes through build.sh (the one build entry point) or a built jar.
.PHONY: build test test-core clean client

build:
	./build.sh package

test:
	./build.sh test

# The pipeline's and both servers' core tests alone, without those tagged "limits" or "metrics" (make test runs all).
test-core:
	./build.sh test-core

clean:
	./build.sh clean

# TLS: a local CA and a certificate for localhost and 127.0.0.1 in certs/ (openssl; the keys stay
# out of git). make run-servers TLS=1 and make client TLS=1 use them (and make them if missing).
.PHONY: certs
certs:
	scripts/make-certs.sh certs

# Run locally. Each target asks build.sh for the jars it needs; Maven rebuilds only what changed,
# and with nothing changed rewrites no jar, so make client leaves the jars of running servers
# alone (after a change to code they use, stop them first). run-servers starts both, logs
# prefixed [rest] / [grpc], and Ctrl-C stops both; it builds the client's jar too, for the
# README's java -jar client line.
.PHONY: run-servers run-rest run-grpc

run-servers:
	./build.sh package server-rest server-grpc client
	scripts/run-servers.sh rest grpc

run-rest:
	./build.sh package server-rest
	scripts/run-servers.sh rest

run-grpc:
	./build.sh package server-grpc
	scripts/run-servers.sh grpc

# Containers (needs a Docker engine): both servers on 8001 and 50051 (REST_PORT, GRPC_PORT),
# saving to ./storage. The containers run as the user who runs make, so the saved files are
# theirs; as root, the images' entrypoint runs them as the images' user, 10001, and makes
# ./storage/rest and ./storage/grpc its own (docs/deployment.md). TLS=1: with TLS, certs/
# mounted (docker-compose.tls.yml; made first if missing).
.PHONY: docker-up docker-down
COMPOSE = $(shell docker compose version >/dev/null 2>&1 && echo 'docker compose' || echo docker-compose)
TLS_ON = $(filter 1 true yes on,$(TLS))
COMPOSE_FILES = -f docker-compose.yml$(if $(TLS_ON), -f docker-compose.tls.yml)
NEED_ENGINE = @docker info >/dev/null 2>&1 || { echo "$@: no Docker engine answers ('docker info' failed). \
Start Docker, or run the servers without it: make run-servers" >&2; exit 1; }

docker-up:
	$(NEED_ENGINE)
	$(if $(TLS_ON),scripts/make-certs.sh certs)
	mkdir -p storage/rest storage/grpc
	@if [ "$$(id -u)" = 0 ]; then \
	  echo "$(COMPOSE) $(COMPOSE_FILES) up -d --build"; $(COMPOSE) $(COMPOSE_FILES) up -d --build; \
	else \
	  echo "APP_UID=$$(id -u) APP_GID=$$(id -g) $(COMPOSE) $(COMPOSE_FILES) up -d --build"; \
	  APP_UID=$$(id -u) APP_GID=$$(id -g) $(COMPOSE) $(COMPOSE_FILES) up -d --build; \
	fi

docker-down:
	$(NEED_ENGINE)
	$(COMPOSE) $(COMPOSE_FILES) down

# The desktop client; options with ARGS, e.g. make client ARGS="--source images:photos/ --grpc-mode stream".
# It talks to the servers on REST_PORT and GRPC_PORT, as make run-servers does (8001 and 50051
# unless given); REST_URL and GRPC_TARGET, or ARGS="--rest ... --grpc ...", name any others.
# TLS=1: over TLS, trusting certs/ca.pem (TLS_CA names another CA).
client:
	./build.sh package client
	case "$${TLS:-}" in 1|true|yes|on) scheme=https; export TLS_CA="$${TLS_CA:-certs/ca.pem}" ;; *) scheme=http ;; esac; \
	REST_URL="$${REST_URL:-$$scheme://localhost:$${REST_PORT:-8001}}" \
	GRPC_TARGET="$${GRPC_TARGET:-localhost:$${GRPC_PORT:-50051}}" \
	java -jar client/target/client.jar $(ARGS)

# Starts both servers itself, measures every transport against the in-process floor and writes
# bench/target/results/ (ARGS="--out bench/results" replaces the committed results).
# ARGS="--quick" is the CI check; ARGS="--help" lists the options.
.PHONY: bench
bench:
	./build.sh package server-rest server-grpc bench
	java -jar bench/target/bench.jar $(ARGS)
