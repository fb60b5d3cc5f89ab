#!/bin/sh
# bridge-js.sh installs the browser SDKs the bridge page loads, pinned by
# their package-lock.json (today: voximplant-websdk 4.13.1-3005, seed 001).
# Idempotent: it runs `npm ci` only when the lock file changed since the last
# install.
set -eu
cd "$(dirname "$0")/../vendors/bridge/voximplant/js"
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.agentty-lock; then
	exit 0
fi
npm ci --no-audit --no-fund --ignore-scripts
cp package-lock.json node_modules/.agentty-lock
