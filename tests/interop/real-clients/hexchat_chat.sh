#!/bin/bash
# hexchat_chat.sh HOST PORT NICK CHANNEL MESSAGE LOGFILE   (HexChat 2.16 on a private Xvfb)
# env: PEER=nick EXPECT=text TIMEOUT=20 KEEP=1
# exit 0=ok 1=timeout 3=something missing (--check: only that)
# HexChat runs on its own X display and D-Bus session bus; it speaks and quits through its
# documented remote control, `hexchat --existing --command=...`, which reaches it over that bus.
set -u
here=$(dirname "$0")
source "$here/common.sh"
rc_arguments "$@"
rc_require hexchat hexchat
rc_require Xvfb xvfb
rc_require dbus-run-session dbus-daemon
rc_require xdotool xdotool
rc_checked
# A private session bus: `--existing` must reach this HexChat, never the user's own.
[ -n "${RC_PRIVATE_BUS:-}" ] || RC_PRIVATE_BUS=1 exec dbus-run-session -- bash "$0" "$@"

WD=$(mktemp -d "${TMPDIR:-/tmp}/hexchat.XXXXXX")
mkdir "$WD/config"
# F=10: use the global nick (2), connect at start (8). One log for every tab of the network.
cat >"$WD/config/servlist.conf" <<CFG
v=2.16.1

N=t
E=UTF-8 (Unicode)
F=10
D=0
S=$HOST/$PORT
J=$CHAN

CFG
cat >"$WD/config/hexchat.conf" <<CFG
version = 2.16.1
irc_nick1 = $NICK
irc_nick2 = ${NICK}_
irc_nick3 = ${NICK}__
irc_user_name = $NICK
irc_real_name = $NICK
irc_logging = 1
irc_logmask = $LOG
stamp_log = 1
gui_slist_skip = 1
gui_join_dialog = 0
gui_quit_dialog = 0
gui_tray = 0
net_throttle = 0
CFG

# -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
Xvfb -displayfd 3 -nolisten tcp -screen 0 800x600x24 3>"$WD/display" 2>"$WD/xvfb.log" &
XPID=$!
display_ready() { [ -s "$WD/display" ] || ! kill -0 $XPID 2>/dev/null; }
rc_wait_until 10 display_ready && [ -s "$WD/display" ] || { echo "Xvfb did not start" >&2; exit 1; }
export DISPLAY=:$(head -n 1 "$WD/display")
# -n: no plugins from disk; the remote control is built in.
HOME=$WD hexchat -n -d "$WD/config" >"$WD/stdout" 2>&1 &
HPID=$!; echo "hexchat pid=$HPID $DISPLAY" >&2
if [ "$(id -u)" -eq 0 ]; then
  # As root HexChat first shows a modal warning and connects only once it is acknowledged.
  warning=$(timeout 10 xdotool search --sync --onlyvisible --class hexchat | head -n 1)
  [ -n "$warning" ] && xdotool mousemove 0 0 windowfocus --sync "$warning" key Return
fi

remote() { hexchat --existing --command="$1" >>"$WD/stdout" 2>&1; }
JOINED="	Now talking on $(rc_regex "$CHAN")\$"
# The peer joining after us, or the peer in the WHO reply we ask for once joined.
PEERRE="	($(rc_regex "$PEER") \(.*\) has joined|$(rc_regex "$CHAN") [^ ]+ [^ ]+ [^ ]+ $(rc_regex "$PEER") )"
asked=
rc_ready() {
  grep -qE -- "$JOINED" "$LOG" || return 1
  [ -n "$PEER" ] || return 0
  [ -n "$asked" ] || { remote "who $CHAN"; asked=1; }
  grep -qE -- "$PEERRE" "$LOG"
}
rc_say() { remote "msg $CHAN $MSG"; }
rc_disconnected() { grep -q '	Disconnected' "$LOG"; }
# QUIT first so that the server sees a proper goodbye; KILLALL then ends the program.
rc_quit() { remote "quit bye"; rc_wait_until 5 rc_disconnected; remote killall; }
rc_alive() { kill -0 "$HPID" 2>/dev/null; }
rc=0; rc_converse || rc=1
[ $rc = 0 ] || echo "timeout" >&2
for p in $HPID $XPID; do kill -0 $p 2>/dev/null && kill -KILL $p; done
wait 2>/dev/null
[ -n "${KEEP:-}" ] || rm -rf "$WD"; exit $rc
