#!/usr/bin/env bash
# Installs exactly what package-lock.json pins. npm 11 leaves other platforms' optional packages out
# of the lockfile (npm/cli#9343), which makes `npm ci` refuse; `npm install --no-save` then installs
# the same locked versions without rewriting the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! npm ci --no-audit --no-fund 2>/tmp/ticketry-npm-ci.log; then
  if grep -q "Missing: .* from lock file" /tmp/ticketry-npm-ci.log; then
    echo "npm ci refused the lockfile's missing foreign-platform optionals; installing the locked versions with npm install --no-save"
    npm install --no-save --no-audit --no-fund
  else
    cat /tmp/ticketry-npm-ci.log >&2
    exit 1
  fi
fi
