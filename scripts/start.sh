#!/usr/bin/env bash
# `npm start`: the whole platform on this machine. Installs what is missing, starts Kafka (unless one
# already answers on 9092), prepares Postgres, builds, starts every service in services/ (each runs
# its migrations at start outside production), and prints their URLs. Ctrl-C stops what it started.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ensure_dependencies

PG_HOST="${PGHOST:-127.0.0.1}"
PG_PORT="${PGPORT:-5432}"
DB_NAME="${TICKETRY_DB:-ticketry}"
PIDS=()
STARTED_KAFKA=false

cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping services..."
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$STARTED_KAFKA" = true ]; then bash scripts/kafka.sh stop; fi
  echo "Stopped."
}
trap cleanup INT TERM EXIT

if ! port_open "$PG_HOST" "$PG_PORT"; then
  echo "PostgreSQL is not answering on $PG_HOST:$PG_PORT. Start it (or use docker compose up)." >&2
  exit 1
fi
if port_open 127.0.0.1 9092; then
  echo "Kafka already answers on 127.0.0.1:9092; using it."
else
  bash scripts/kafka.sh start
  STARTED_KAFKA=true
fi

PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@$PG_HOST:$PG_PORT/postgres}" TICKETRY_DATABASES="$DB_NAME" node scripts/db/prepare.mjs
echo "Building..."
tsc -b tsconfig.build.json

export NODE_ENV="${NODE_ENV:-development}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export MESSAGE_TRANSPORT="${MESSAGE_TRANSPORT:-outbox}"
export BOOTSTRAP_ADMIN_EMAIL="${BOOTSTRAP_ADMIN_EMAIL:-admin@ticketry.local}"
export BOOTSTRAP_ADMIN_PASSWORD="${BOOTSTRAP_ADMIN_PASSWORD:-admin-dev-password}"
export JWKS_URL="${JWKS_URL:-http://127.0.0.1:3001/.well-known/jwks.json}"

# Service-to-service calls (orders → billing) carry client-credentials tokens from identity. Each
# run makes a fresh secret for every calling service, handed only to identity and that service.
random_secret() { node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))"; }
ORDERS_SERVICE_SECRET="${ORDERS_SERVICE_SECRET:-$(random_secret)}"
SERVICE_CLIENTS_JSON="${SERVICE_CLIENTS:-$(printf '[{"clientId":"orders","secret":"%s"}]' "$ORDERS_SERVICE_SECRET")}"

declare -A PORTS=([identity]=3001 [catalog]=3002 [orders]=3003 [billing]=3004 [payouts]=3005 [refunds]=3006 [consent]=3007)
STARTED=()
for dir in services/*/; do
  svc="$(basename "$dir")"
  [ -f "$dir/dist/main.js" ] || continue
  port="${PORTS[$svc]:-}"
  upper="$(echo "$svc" | tr '[:lower:]' '[:upper:]')"
  password_var="${upper}_DB_PASSWORD"
  extra_env=()
  case "$svc" in
    identity) extra_env=("SERVICE_CLIENTS=$SERVICE_CLIENTS_JSON") ;;
    orders) extra_env=("SERVICE_CLIENT_ID=orders" "SERVICE_CLIENT_SECRET=$ORDERS_SERVICE_SECRET") ;;
  esac
  env "${extra_env[@]}" PORT="$port" DATABASE_URL="postgres://$svc:${!password_var:-$svc-dev-password}@$PG_HOST:$PG_PORT/$DB_NAME" \
    node "$dir/dist/main.js" > >(sed -u "s/^/[$svc] /") 2>&1 &
  PIDS+=("$!")
  STARTED+=("$svc:$port")
done

echo "Waiting for services to be ready..."
for entry in "${STARTED[@]}"; do
  svc="${entry%%:*}"; port="${entry##*:}"
  for _ in $(seq 1 120); do
    if node -e "fetch('http://127.0.0.1:$port/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"; then break; fi
    sleep 0.5
  done
done
echo
echo "Ticketry is running (Ctrl-C stops it):"
for entry in "${STARTED[@]}"; do
  svc="${entry%%:*}"; port="${entry##*:}"
  printf '  %-9s http://127.0.0.1:%s   (OpenAPI: http://127.0.0.1:%s/docs)\n' "$svc" "$port" "$port"
done
echo "  kafka     127.0.0.1:9092   postgres  $PG_HOST:$PG_PORT/$DB_NAME"
wait
