#!/usr/bin/env bash
# pulse.sh starts a PulseAudio daemon usable by tests (root included: the
# daemon warns but runs with --system=false) and loads two null sinks,
# agentty_a and agentty_b, whose monitors (agentty_a.monitor,
# agentty_b.monitor) serve as microphones. Safe to run any number of times.
#
# It prints shell exports on stdout, so:  eval "$(scripts/pulse.sh)"
# Messages go to stderr. Exit status 1 when the daemon cannot start.
set -euo pipefail

log() { echo "pulse: $*" >&2; }

if ! command -v pulseaudio >/dev/null || ! command -v pactl >/dev/null; then
  log "pulseaudio / pactl missing: run scripts/deps.sh"
  exit 1
fi

if ! pactl info >/dev/null 2>&1; then
  log "starting pulseaudio"
  # --exit-idle-time=-1: never exit when idle (tests come and go).
  pulseaudio -D --exit-idle-time=-1 --system=false --log-target=syslog </dev/null 2>/dev/null ||
    pulseaudio -D --exit-idle-time=-1 </dev/null 2>/dev/null || true
  for _ in $(seq 1 50); do
    pactl info >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
if ! pactl info >/dev/null 2>&1; then
  log "pulseaudio did not start"
  exit 1
fi

for s in agentty_a agentty_b; do
  if ! pactl list short sinks | awk '{print $2}' | grep -qx "$s"; then
    pactl load-module module-null-sink sink_name="$s" rate=48000 channels=1 \
      sink_properties=device.description="$s" >/dev/null
    log "loaded null sink $s (microphone: $s.monitor)"
  fi
done

# A suspended null sink's monitor delivers nothing until the sink wakes:
# keep sinks running so captures do not stall.
if pactl list short modules | grep -q module-suspend-on-idle; then
  pactl unload-module module-suspend-on-idle >/dev/null 2>&1 || true
  log "unloaded module-suspend-on-idle"
fi

server=$(pactl info | sed -n 's/^Server String: //p')
case "$server" in
  /*) server="unix:$server" ;;
esac
echo "export PULSE_SERVER=$server"
echo "export AGENTTY_TEST_SINKS=agentty_a,agentty_b"
