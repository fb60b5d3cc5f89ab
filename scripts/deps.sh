#!/usr/bin/env bash
# deps.sh installs the Debian packages that agentty's build and tests need,
# only when they are missing. Safe to run any number of times.
set -euo pipefail

pkgs=(
  gcc pkg-config
  libopus-dev libopusfile-dev
  pulseaudio pulseaudio-utils
  espeak-ng sox
  tmux fzf
  baresip
  kamailio kamailio-presence-modules kamailio-tls-modules
  sip-tester
  chromium
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#pkgs[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
