#!/usr/bin/env bash
# A virtual microphone for a machine with no sound card.
#
#   eval "$(bash .ci/pulse.sh)"      start (idempotent) and export PULSE_SERVER / XDG_RUNTIME_DIR
#   bash .ci/pulse.sh status          exit 0 when the daemon answers
#   bash .ci/pulse.sh stop            stop the keep-alives and the daemon
#   bash .ci/pulse.sh echo -20        an echo path: what the app plays (vout) leaks into the mic (vspk) at -20 dB
#   bash .ci/pulse.sh echo off        remove the echo path (both idempotent)
#
# The echo path is a module-loopback from vout.monitor into vspk (latency_msec=10, REHEARSE_ECHO_LATENCY_MS);
# its sink input's volume is the gain. Measured (a click and a 440 Hz tone played into vout, recorded on
# vspk.monitor, both streams placed on one clock by tests/pulse_stream.py): delay 9-12 ms (7-16 ms on a machine
# at load 17), varying by a few ms from one loopback to the next and drifting ~2 ms within one; gain -20.00 dB on
# the tone (a 1 ms click's peak reads -19.1 dB after the loopback's resampler).
#
# REHEARSE_PULSE_DIR picks the runtime dir (default /tmp/rehearse-pulse); daemons with different dirs coexist,
# each with its own socket, pid file, sinks and keep-alives.
#
# Two null sinks at 16 kHz mono:
#   vspk  the "person in the room": `paplay -d vspk answer.wav` plays into it, and its monitor is the default
#         source, so whatever is played there is what the microphone hears;
#   vout  the default sink: the app's speaker output goes there and is discarded.
# Only stdout carries the export lines, so `eval` stays safe; everything else goes to stderr.
set -euo pipefail

RUNDIR="${REHEARSE_PULSE_DIR:-/tmp/rehearse-pulse}"
SOCKET="$RUNDIR/pulse/native"
RATE=16000
SINKS=(vspk vout)

export XDG_RUNTIME_DIR="$RUNDIR"
export PULSE_SERVER="unix:$SOCKET"

log() { echo "pulse.sh: $*" >&2; }

need() {
    command -v "$1" >/dev/null 2>&1 || {
        log "$1 is missing: sudo apt-get install pulseaudio pulseaudio-utils libasound2-plugins"
        exit 2
    }
}

running() { pactl info >/dev/null 2>&1; }

start_daemon() {
    # PulseAudio refuses a runtime dir that others can read, and CI may run with a umask that makes one.
    mkdir -p "$RUNDIR"
    chmod 700 "$RUNDIR"
    # -n: skip default.pa, so no hardware probing and no suspend-on-idle module; auth-anonymous because the
    # socket lives in a 700 directory anyway and root has no session cookie to share.
    pulseaudio -n --daemonize=yes --exit-idle-time=-1 --use-pid-file=yes \
        --log-target="file:$RUNDIR/pulse.log" \
        -L "module-native-protocol-unix socket=$SOCKET auth-anonymous=1" \
        -L "module-null-sink sink_name=vspk rate=$RATE channels=1" \
        -L "module-null-sink sink_name=vout rate=$RATE channels=1"
    for _ in $(seq 50); do
        running && return 0
        sleep 0.1
    done
    log "the PulseAudio daemon did not answer; see $RUNDIR/pulse.log"
    exit 1
}

ensure_sinks() {
    local sink present
    # Read the list once into a variable: `grep -q` in a pipeline can SIGPIPE the writer and, with pipefail,
    # make a present sink look absent.
    present=$(pactl list short sinks | awk '{print $2}')
    for sink in "${SINKS[@]}"; do
        grep -qx "$sink" <<<"$present" ||
            pactl load-module module-null-sink "sink_name=$sink" "rate=$RATE" channels=1 >/dev/null
    done
    pactl set-default-sink vout
    pactl set-default-source vspk.monitor
}

alive() {
    # Not just `kill -0`: an exited keep-alive can linger as a zombie until init reaps it.
    local state
    [[ -r "/proc/$1/stat" ]] || return 1
    read -r _ _ state _ <"/proc/$1/stat"
    [[ "$state" != Z ]]
}

ensure_keepalive() {
    # An idle null sink renders in 2 s blocks, so the first capture callback can come up to 2 s late; a stream
    # of zeros keeps each sink rendering in small blocks without changing what is heard.
    local sink pidfile
    for sink in "${SINKS[@]}"; do
        pidfile="$RUNDIR/keepalive-$sink.pid"
        if [[ -f "$pidfile" ]] && alive "$(cat "$pidfile")"; then
            continue
        fi
        setsid pacat --playback -d "$sink" --raw --format=s16le --rate="$RATE" --channels=1 /dev/zero \
            </dev/null >/dev/null 2>>"$RUNDIR/keepalive.log" &
        echo $! >"$pidfile"
    done
}

ECHO_NAME=rehearse-echo
ECHO_LATENCY_MS=${REHEARSE_ECHO_LATENCY_MS:-10}

echo_modules() {
    # Our loopback modules, found by the media.name we give their sink input.
    pactl list short modules | awk -v n="$ECHO_NAME" '$2 == "module-loopback" && index($0, "media.name=" n) {print $1}'
}

echo_off() {
    local mods m
    mods=$(echo_modules)
    for m in $mods; do pactl unload-module "$m"; done
}

echo_on() {
    # A laptop's speaker leaks into its microphone: mix vout's monitor into vspk (whose monitor is the mic) at
    # $1 dB. A module-loopback is a sink input on vspk; its volume is the echo gain.
    local db=$1 mod idx
    [[ "$db" =~ ^-?[0-9]+(\.[0-9]+)?$ ]] || { log "echo: want a gain in dB (e.g. -20) or off, got '$db'"; exit 2; }
    echo_off
    mod=$(pactl load-module module-loopback source=vout.monitor sink=vspk latency_msec="$ECHO_LATENCY_MS" \
        source_dont_move=true sink_dont_move=true remix=false \
        sink_input_properties="media.name=$ECHO_NAME" source_output_properties="media.name=$ECHO_NAME")
    idx=""
    for _ in $(seq 50); do
        # The short listing has no module column (its third is the client); the long one names the owner.
        idx=$(pactl list sink-inputs | awk -v m="$mod" '
            /^Sink Input #/ {i = substr($3, 2)}
            $1 == "Owner" && $2 == "Module:" && $3 == m {print i}')
        [[ -n "$idx" ]] && break
        sleep 0.05
    done
    [[ -n "$idx" ]] || { log "echo: the loopback's sink input did not appear"; exit 1; }
    pactl set-sink-input-volume "$idx" "${db}dB"
    log "echo path vout -> vspk at ${db} dB (module $mod, sink input $idx, latency_msec=$ECHO_LATENCY_MS)"
}

stop_all() {
    local pidfile pid
    for pidfile in "$RUNDIR"/keepalive-*.pid; do
        [[ -f "$pidfile" ]] || continue
        pid=$(cat "$pidfile")
        # Only our keep-alive: after a reboot the number may belong to something else.
        if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == pacat ]]; then
            kill "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
    if running; then
        pulseaudio --kill 2>/dev/null || true
        for _ in $(seq 50); do
            running || break
            sleep 0.1
        done
    fi
    log "stopped"
}

case "${1:-start}" in
start)
    need pulseaudio
    need pactl
    need pacat
    running || start_daemon
    ensure_sinks
    ensure_keepalive
    echo "export XDG_RUNTIME_DIR=$RUNDIR"
    echo "export PULSE_SERVER=unix:$SOCKET"
    ;;
status)
    running
    ;;
stop)
    stop_all
    ;;
echo)
    running || { log "echo: the daemon is not running; start it first"; exit 1; }
    case "${2:-}" in
    off) echo_off ;;
    "") log "usage: $0 echo DB|off"; exit 2 ;;
    *) echo_on "$2" ;;
    esac
    ;;
*)
    log "usage: $0 [start|status|stop|echo DB|echo off]"
    exit 2
    ;;
esac
