#!/usr/bin/env bash
# `npm test`: everything the tests need, then every test. On a machine with Postgres on 5432 and
# Java it starts the real Kafka broker (scripts/kafka.sh) and uses the local Postgres; with
# DATABASE_URL/KAFKA_BROKERS already set it uses those; otherwise testcontainers (Docker).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ensure_dependencies

if [ -z "${DATABASE_URL:-}" ] && [ -z "${KAFKA_BROKERS:-}" ]; then
  if port_open 127.0.0.1 5432 && command -v java >/dev/null 2>&1; then
    bash scripts/kafka.sh start
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/ticketry_test"
    export KAFKA_BROKERS="127.0.0.1:9092"
    export TICKETRY_KAFKA_CONTROL=script
  fi
fi

echo "== build (the start-up tests run the built services) and typecheck tests"
tsc -b tsconfig.build.json
tsc -p tsconfig.json
echo "== lint"
# The module-boundary rule reads the Nx project graph; compute it first (no daemon).
nx show projects >/dev/null
eslint . --max-warnings=0
prettier --check . >/dev/null || { echo "Formatting differs: run npm run format"; exit 1; }
echo "== jest"
# NestJS 12 ships as ESM only; jest loads it through require(esm) only with VM modules enabled.
export NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning --disable-warning=TimeoutNegativeWarning ${NODE_OPTIONS:-}"
mkdir -p .infra
status=0
# --forceExit is a guard for CI, not a cure: a kafkajs socket left behind by a broker restart must
# never turn a green run into a 90-minute hang.
jest --ci --forceExit --json --outputFile=.infra/jest-results.json "$@" || status=$?
node -e '
  const r = require("./.infra/jest-results.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit "$status"
