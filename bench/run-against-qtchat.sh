#!/bin/sh
# Starts `qtchat --headless` on a free port with the given threading model (flood control and
# client caps lifted, as a benchmark needs), runs qtchat-load against it with --server-pid, stops
# the server and exits with qtchat-load's status.
#
#   bench/run-against-qtchat.sh BUILD_DIR pool|per-connection|single [qtchat-load options...]
#
# BUILD_DIR holds app/qtchat and bench/qtchat-load (a Release build, for numbers that mean
# something). Example: bench/run-against-qtchat.sh build-release pool --scenario fanout --json
# QTCHAT_SERVER_OPTIONS replaces the extra server options (default: --no-limits); "" measures
# with the production limits. QTCHAT_SERVER_LOG=FILE keeps the server's log in FILE.
set -eu

if [ $# -lt 2 ]; then
    sed -n '2,12p' "$0" >&2
    exit 2
fi
build=$1
threading=$2
shift 2
log=${QTCHAT_SERVER_LOG:-$(mktemp "${TMPDIR:-/tmp}/qtchat-bench-server.XXXXXX")}
keep_log=${QTCHAT_SERVER_LOG:+yes}

# Port 0: the kernel picks a free port, so parallel runs and other servers never collide.
# shellcheck disable=SC2086 # the options are meant to split into words
"$build/app/qtchat" --headless --port 0 --threading "$threading" \
    ${QTCHAT_SERVER_OPTIONS---no-limits} 2>"$log" &
server=$!
# shellcheck disable=SC2317 # called by the trap
stop_server() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    [ -n "$keep_log" ] || rm -f "$log"
}
trap stop_server EXIT

port=
for _ in $(seq 50); do
    port=$(sed -n 's/.*listening on [^ ]* \([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "run-against-qtchat: the server did not start:" >&2
    cat "$log" >&2
    exit 2
fi

status=0
"$build/bench/qtchat-load" --port "$port" --server-pid "$server" "$@" || status=$?
exit "$status"
