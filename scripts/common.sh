# Shared by the scripts: install what is missing, then build. Sourced, not executed.

QTCHAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages, installed without their "recommends": every package the project uses is
# named here or in the script that uses it, never left to a recommends or a by-hand install.
# Every build; libsodium hashes the operators' passwords, hiredis is the cluster's Redis client
# (both found through pkg-config; their runtime libraries come with them, and dpkg-shlibdeps
# names them in the package's dependencies from what is linked).
QTCHAT_BUILD_PACKAGES=(cmake ninja-build g++ qt6-base-dev qt6-tools-dev qt6-l10n-tools
    qt6-tools-dev-tools libgl-dev libsodium-dev libhiredis-dev pkg-config)
# The app: fonts so that Chinese renders, Qt's own texts in Chinese (dialog buttons, context
# menus), xdg-open for the links in the chat, and Qt's SQLite driver, a plugin loaded at run
# time for the default history database (qt6-base-dev's Qt6Sql only builds against it).
QTCHAT_RUN_PACKAGES=(fonts-noto-cjk qt6-translations-l10n xdg-utils libqt6sql6-sqlite)
# The Debian package (scripts/package): its dependencies come from dpkg-shlibdeps (dpkg-dev),
# on the ELF files CPack finds with `file`; the desktop entry's and metainfo's validators;
# lintian's verdict on the result.
QTCHAT_PACKAGE_PACKAGES=(dpkg-dev file desktop-file-utils appstream lintian)
# Real peers the tests talk to: ngircd; irssi (in tmux); WeeChat with its trigger and fifo
# plugins (weechat-plugins, which weechat-headless only recommends); HexChat on its own Xvfb
# and D-Bus session bus, its root-only warning acknowledged with xdotool; the tutorial's
# Python; openssl for test certificates; PostgreSQL (initdb, pg_ctl: the storage tests start
# their own server) and Qt's driver for it, which only a PostgreSQL set-up needs at run time;
# redis-server, which the cluster tests start on a free loopback port.
QTCHAT_TEST_PACKAGES=(ngircd irssi tmux weechat-headless weechat-plugins hexchat xvfb
    dbus-daemon xdotool python3 openssl postgresql-15 libqt6sql6-psql redis-server)

qtchat_log() {
    printf '\033[1m==> %s\033[0m\n' "$*" >&2
}

# qtchat_step NAME: says how long the previous step took, then starts NAME ("" ends the last).
qtchat_step() {
    [ -n "${qtchat_step_name:-}" ] && qtchat_log "$qtchat_step_name: $((SECONDS - qtchat_step_start)) s"
    qtchat_step_name=$1 qtchat_step_start=$SECONDS
    [ -n "$qtchat_step_name" ] && qtchat_log "$qtchat_step_name"
    return 0
}

qtchat_missing_packages() {
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$' \
            || echo "$package"
    done
}

qtchat_install_packages() {
    local missing
    missing=$(qtchat_missing_packages "$@")
    [ -z "$missing" ] && return 0
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    qtchat_log "installing Debian packages:" $missing
    "${sudo[@]}" apt-get update -qq
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        $missing >/dev/null
}

# qtchat_build BUILD_DIR [cmake options...]
qtchat_build() {
    local dir=$1
    shift
    qtchat_log "configuring $dir"
    cmake -S "$QTCHAT_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
    qtchat_log "building $dir"
    cmake --build "$dir"
}
