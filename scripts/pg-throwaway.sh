#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server on 127.0.0.1 for tests (../shared/DEPENDENCIES.md, recipe A).
#
#   scripts/pg-throwaway.sh start   # prints postgresql://postgres@127.0.0.1:$PGPORT/postgres
#   scripts/pg-throwaway.sh stop    # stops it and removes its folder
#
# Environment: PGPORT (default 55432), SAFEVAL_PG_DIR (default /tmp/safeval-pg-$PGPORT).
# Idempotent: start on a running server prints its URL again; stop without one does nothing.
# Installs postgresql-15 with apt only when its binaries are missing. initdb and postgres refuse
# to run as root, so as root they run through `su postgres`; otherwise as the current user.
# Trust authentication, fsync off: for tests only, never for data anyone wants to keep.
set -euo pipefail

PGPORT="${PGPORT:-55432}"
DIR="${SAFEVAL_PG_DIR:-/tmp/safeval-pg-$PGPORT}"
BIN=/usr/lib/postgresql/15/bin
URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$1"
  else
    sh -c "$1"
  fi
}

install_server() {
  [ -x "$BIN/initdb" ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "pg-throwaway: need root or sudo to install postgresql-15" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "pg-throwaway: installing postgresql-15" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql-15 >&2
}

running() {
  [ -f "$DIR/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl -D '$DIR/data' status" >/dev/null 2>&1
}

start() {
  install_server
  if running; then
    echo "$URL"
    return 0
  fi
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
    as_owner "$BIN/initdb -D '$DIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'$DIR/initdb.log' 2>&1" ||
      { cat "$DIR/initdb.log" >&2; exit 1; }
  fi
  as_owner "$BIN/pg_ctl -D '$DIR/data' -l '$DIR/server.log' -w -t 30 -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k '$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null" ||
    { tail -20 "$DIR/server.log" >&2; exit 1; }
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -t 10
  echo "$URL"
}

stop() {
  if running; then
    as_owner "$BIN/pg_ctl -D '$DIR/data' -m fast -w stop >/dev/null"
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url  (env PGPORT, SAFEVAL_PG_DIR)" >&2; exit 2 ;;
esac
