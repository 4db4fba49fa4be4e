# A clean Debian 12 made with mmdebstrap, for the scripts that prove something on a fresh
# machine (check-fresh-machine, package --check-clean-root). Sourced after common.sh; needs root
# (mmdebstrap, chroot, mounts) and Debian's mirror.
#
# Where a chroot differs from a machine of its own, the difference is handled here, not in the
# project's scripts:
# - it shares the host's network namespace (apt needs the mirror), so the server under test
#   listens on --port 0, a free port it names in its log, instead of the default 6667, which
#   something on the host may hold;
# - /proc, /sys, /dev, /dev/pts and /dev/shm are the host's, mounted in for the run only;
# - mmdebstrap removes its copy of the host's resolv.conf; it is copied in again.

QTCHAT_CLEAN_ROOT=
QTCHAT_KEEP_CLEAN_ROOT=${QTCHAT_KEEP_CLEAN_ROOT:-no}
# Runs one bash command line in the clean root as root, with a login's empty environment.
QTCHAT_IN_CLEAN_ROOT=()
qtchat_clean_root_mounts=()

# qtchat_make_clean_root [mmdebstrap options]: bookworm's default variant in a new directory,
# $QTCHAT_CLEAN_ROOT. An exit trap removes it again unless QTCHAT_KEEP_CLEAN_ROOT=yes.
qtchat_make_clean_root() {
    qtchat_install_packages mmdebstrap
    QTCHAT_CLEAN_ROOT=$(mktemp -d /var/tmp/qtchat-fresh.XXXXXX)
    trap qtchat_remove_clean_root EXIT
    local mirror=http://deb.debian.org/debian
    mmdebstrap "$@" bookworm "$QTCHAT_CLEAN_ROOT" "deb $mirror bookworm main" \
        "deb $mirror bookworm-updates main" "deb $mirror-security bookworm-security main"
    cp /etc/resolv.conf "$QTCHAT_CLEAN_ROOT/etc/resolv.conf"
    local fs
    for fs in proc sys dev dev/pts dev/shm; do
        mount --bind "/$fs" "$QTCHAT_CLEAN_ROOT/$fs"
        qtchat_clean_root_mounts+=("$QTCHAT_CLEAN_ROOT/$fs")
    done
    QTCHAT_IN_CLEAN_ROOT=(chroot "$QTCHAT_CLEAN_ROOT" /usr/bin/env -i HOME=/root TERM=dumb
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/bash -c)
}

qtchat_remove_clean_root() {
    local i
    for ((i = ${#qtchat_clean_root_mounts[@]} - 1; i >= 0; i--)); do
        umount -l "${qtchat_clean_root_mounts[$i]}" || true
    done
    [ -n "$QTCHAT_CLEAN_ROOT" ] || return 0
    if [ "$QTCHAT_KEEP_CLEAN_ROOT" = yes ]; then
        qtchat_log "the clean root stays in $QTCHAT_CLEAN_ROOT"
    else
        rm -rf "$QTCHAT_CLEAN_ROOT"
    fi
}

# qtchat_check_headless_in_clean_root COMMAND: COMMAND, run in the clean root, must end up as
# `qtchat --headless --port 0 ...` (each step exec'ing the next, so that the signal reaches it).
# It must listen, welcome an IRC client, and exit with status 0 on SIGTERM.
qtchat_check_headless_in_clean_root() {
    local log="$QTCHAT_CLEAN_ROOT/tmp/headless.log"
    "${QTCHAT_IN_CLEAN_ROOT[@]}" "$1" >"$log" 2>&1 &
    local pid=$!
    until grep -q "listening on" "$log"; do
        kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "qtchat ended before listening" >&2; return 1; }
        sleep 1
    done
    grep "listening on" "$log"
    echo "the process listening: $(readlink "/proc/$pid/exe")"
    local port
    port=$(sed -n 's/.*listening on [^ ]* \([0-9]*\).*/\1/p' "$log")
    local welcome
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'NICK fresh\r\nUSER fresh 0 * :fresh\r\n' >&3
    read -r -t 10 welcome <&3
    exec 3<&-
    echo "a client got: $welcome"
    [[ $welcome == *" 001 fresh "* ]] || { echo "expected the welcome (001)" >&2; return 1; }
    kill -TERM "$pid"
    local status=0
    wait "$pid" || status=$?
    tail -n 5 "$log"
    [ "$status" -eq 0 ] || { echo "qtchat exited with $status after SIGTERM" >&2; return 1; }
    echo "qtchat stopped on SIGTERM, exit status 0"
}
