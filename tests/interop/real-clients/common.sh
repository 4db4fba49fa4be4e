# Sourced by the drivers: their arguments, what each needs installed, and the conversation they
# all hold. A driver defines rc_ready (joined, and $PEER is there), rc_say, rc_quit and
# rc_alive, then calls rc_converse.

# Non-ASCII text must reach the clients and their logs intact, and their messages must be the
# English ones the drivers look for, whatever the caller's locale.
export LC_ALL=C.UTF-8
unset LANGUAGE

RC_CHECK_ONLY=
RC_MISSING=

# rc_arguments "$@": --check alone, or HOST PORT NICK CHANNEL MESSAGE LOGFILE.
rc_arguments() {
    if [ "$#" -eq 1 ] && [ "$1" = --check ]; then
        RC_CHECK_ONLY=1
        return
    fi
    if [ "$#" -ne 6 ]; then
        echo "usage: $0 HOST PORT NICK CHANNEL MESSAGE LOGFILE | $0 --check" >&2
        exit 2
    fi
    HOST=$1 PORT=$2 NICK=$3 CHAN=$4 MSG=$5
    LOG=$(cd "$(dirname "$6")" && pwd)/$(basename "$6") || exit 2
    PEER=${PEER:-} EXPECT=${EXPECT:-} TIMEOUT=${TIMEOUT:-20}
    : >"$LOG"
}

# rc_require PROGRAM PACKAGE: note PROGRAM as missing unless it is on the PATH.
rc_require() {
    command -v "$1" >/dev/null || rc_missing "$1 is missing: install $2"
}

rc_missing() {
    echo "$*" >&2
    RC_MISSING=1
}

# After the rc_require calls: exit 3 if something is missing, 0 if that was all (--check).
rc_checked() {
    [ -z "$RC_MISSING" ] || exit 3
    [ -z "$RC_CHECK_ONLY" ] || exit 0
}

# rc_regex TEXT: TEXT as a literal in an extended regular expression.
rc_regex() {
    printf '%s' "$1" | sed 's/[][\\^$.|?*+(){}]/\\&/g'
}

# rc_log_has TEXT: the channel log holds TEXT.
rc_log_has() {
    grep -qF -- "$1" "$LOG"
}

# rc_wait_until SECONDS COMMAND...: true once COMMAND succeeds, false after SECONDS.
rc_wait_until() {
    local end=$((SECONDS + $1))
    shift
    until "$@"; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.1
    done
}

rc_done_talking() {
    rc_log_has "$MSG" && { [ -z "$EXPECT" ] || rc_log_has "$EXPECT"; }
}

rc_ready_or_gone() {
    rc_ready || ! rc_alive
}

rc_gone() {
    ! rc_alive
}

# Say MESSAGE once ready, quit once MESSAGE and $EXPECT are both in the log, wait for the
# client to end. True if all that happened within $TIMEOUT seconds.
rc_converse() {
    local end=$((SECONDS + TIMEOUT))
    rc_wait_until "$TIMEOUT" rc_ready_or_gone && rc_alive || return 1
    rc_say
    rc_wait_until $((end - SECONDS)) rc_done_talking || return 1
    rc_quit
    rc_wait_until $((end - SECONDS)) rc_gone
}
