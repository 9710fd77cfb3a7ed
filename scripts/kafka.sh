#!/usr/bin/env bash
# Runs a real Apache Kafka 3.9.1 broker (single combined KRaft node) on machines without Docker,
# straight from Apache's jars on Maven Central. See docs/infrastructure.md ("Apache Kafka 3.9.x in
# KRaft mode from Maven Central").
#
#   scripts/kafka.sh start            fetch jars if needed, start in the background, wait until ready
#   scripts/kafka.sh stop             SIGTERM, wait up to 30 s, then SIGKILL
#   scripts/kafka.sh restart          stop + start, keeping the data
#   scripts/kafka.sh status           exit 0 when running and ready, 3 when stopped, 1 otherwise
#   scripts/kafka.sh logs [-f] [N]    last N (default 100) lines of the broker log, -f to follow
#
# The jars live in a machine-wide cache and the broker's state (data, pid, log, config) in a
# machine-wide state dir, so every clone of the repo on this machine controls the same broker:
#   TICKETRY_CACHE_DIR  (default ~/.cache/ticketry)  -> kafka-3.9.1/libs
#   TICKETRY_STATE_DIR  (default ~/.cache/ticketry)  -> kafka-state/{data,kafka.pid,kafka.log,...}
# Other knobs: JAVA (java binary), KAFKA_HEAP_OPTS (default -Xms256m -Xmx512m),
# KAFKA_READY_TIMEOUT_S (default 90), KAFKA_STOP_TIMEOUT_S (default 30).
set -euo pipefail
export LC_NUMERIC=C # $EPOCHREALTIME with a decimal point

readonly KAFKA_VERSION=3.9.1
readonly SCALA_VERSION=2.13
readonly HOST=127.0.0.1
readonly PORT=9092
readonly CONTROLLER_PORT=9093
# Fixed cluster id: base64url("TicketryKafkaDev") without padding, 22 characters = 16 bytes.
readonly CLUSTER_ID=VGlja2V0cnlLYWZrYURldg

readonly REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly CACHE_DIR="${TICKETRY_CACHE_DIR:-$HOME/.cache/ticketry}"
readonly STATE_ROOT="${TICKETRY_STATE_DIR:-$HOME/.cache/ticketry}"
readonly DIST_DIR="$CACHE_DIR/kafka-$KAFKA_VERSION"
readonly LIBS_DIR="$DIST_DIR/libs"
readonly LIBS_MARKER="$DIST_DIR/.fetch-complete"
readonly STATE_DIR="$STATE_ROOT/kafka-state"
readonly DATA_DIR="$STATE_DIR/data"
readonly PID_FILE="$STATE_DIR/kafka.pid"
readonly LOG_FILE="$STATE_DIR/kafka.log"
readonly SERVER_PROPS="$STATE_DIR/server.properties"
readonly LOG4J_PROPS="$STATE_DIR/log4j.properties"
readonly LOCK_FILE="$STATE_DIR/kafka.lock"

readonly JAVA_BIN="${JAVA:-java}"
readonly HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
readonly READY_TIMEOUT_S="${KAFKA_READY_TIMEOUT_S:-90}"
readonly STOP_TIMEOUT_S="${KAFKA_STOP_TIMEOUT_S:-30}"
readonly LOG_ROTATE_BYTES=$((20 * 1024 * 1024))

log() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka: error: %s\n' "$*" >&2; exit 1; }

# Seconds elapsed since $1 (an $EPOCHREALTIME value), with one decimal.
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

node_bin() {
  if [[ -x "$REPO_ROOT/node_modules/.bin/node" ]]; then
    echo "$REPO_ROOT/node_modules/.bin/node"
  else
    command -v node || true
  fi
}

# A real metadata request: kafkajs admin.listTopics() (what our services use). Falls back to
# Kafka's own BrokerApiVersionsCommand when node or kafkajs is not available.
broker_answers() {
  port_open "$PORT" || return 1
  local node
  node="$(node_bin)"
  if [[ -n "$node" && -d "$REPO_ROOT/node_modules/kafkajs" ]]; then
    (cd "$REPO_ROOT" && NODE_NO_WARNINGS=1 timeout 15 "$node" -e '
      const { Kafka, logLevel } = require("kafkajs");
      const admin = new Kafka({ clientId: "kafka-sh-probe", brokers: [process.argv[1]],
        logLevel: logLevel.NOTHING, connectionTimeout: 2000, requestTimeout: 5000,
        retry: { retries: 0 } }).admin();
      admin.connect().then(() => admin.listTopics()).then(
        () => admin.disconnect().then(() => process.exit(0)),
        () => process.exit(1));
    ' "$HOST:$PORT") >/dev/null 2>&1
  elif [[ -f "$LIBS_MARKER" ]]; then
    timeout 30 "$JAVA_BIN" -Xmx128m -cp "$LIBS_DIR/*" -Dlog4j.configuration=file:"$LOG4J_PROPS" \
      kafka.admin.BrokerApiVersionsCommand --bootstrap-server "$HOST:$PORT" >/dev/null 2>&1
  else
    return 1
  fi
}

# The pid of the broker this state dir owns, or nothing. Trusts the pid file only when that
# process really is a Kafka broker started with our server.properties (pids get recycled).
broker_pid() {
  local pid=""
  if [[ -f "$PID_FILE" ]]; then
    pid="$(tr -dc '0-9' <"$PID_FILE")"
  fi
  if [[ -n "$pid" ]] && is_our_broker "$pid"; then
    echo "$pid"
    return 0
  fi
  # Pid file lost (or stale) while the broker still runs: find it by its exact config path.
  pid="$(pgrep -f -- "kafka\.Kafka $SERVER_PROPS\$" | head -n1 || true)"
  if [[ -n "$pid" ]] && is_our_broker "$pid"; then
    echo "$pid"
  fi
}

is_our_broker() {
  local cmdline
  cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline")" || return 1
  [[ "$cmdline" == *"kafka.Kafka $SERVER_PROPS"* ]]
}

# Serialises start/stop/restart across every clone on the machine. Long enough for a cold fetch
# plus a slow start (the holder never waits on anything unbounded).
take_state_lock() {
  exec 9>"$LOCK_FILE"
  flock -w 300 9 || die "another scripts/kafka.sh has held $LOCK_FILE for 5 minutes; giving up"
}

# The last N lines the current start wrote (from its "==== ... start ====" marker on).
tail_log() {
  [[ -f "$LOG_FILE" ]] || return 0
  local from
  from="$(grep -n '^==== .* scripts/kafka.sh start ====$' "$LOG_FILE" | tail -n1 | cut -d: -f1)"
  echo "---- last lines of $LOG_FILE ----" >&2
  tail -n +"${from:-1}" "$LOG_FILE" | tail -n "${1:-40}" >&2
  echo "----" >&2
}

fetch_jars() {
  [[ -f "$LIBS_MARKER" ]] && return 0
  command -v mvn >/dev/null || die "mvn (Maven 3.8+) is needed to fetch Kafka from Maven Central"
  mkdir -p "$DIST_DIR"
  # Several clones may start at once: one fetches, the others wait for it.
  exec 8>"$DIST_DIR/.fetch.lock"
  flock -w 600 8 || die "another fetch into $DIST_DIR has run for 10 minutes; giving up"
  if [[ -f "$LIBS_MARKER" ]]; then exec 8>&-; return 0; fi

  local started=$EPOCHREALTIME tmp
  tmp="$(mktemp -d "$DIST_DIR/.fetch.XXXXXX")"
  log "fetching org.apache.kafka:kafka_$SCALA_VERSION:$KAFKA_VERSION and its runtime dependencies from Maven Central"
  cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.ticketry.infra</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>$KAFKA_VERSION</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_$SCALA_VERSION</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <!-- the published pom has no logging binding -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>1.7.36</version>
    </dependency>
    <dependency>
      <groupId>ch.qos.reload4j</groupId>
      <artifactId>reload4j</artifactId>
      <version>1.2.25</version>
    </dependency>
  </dependencies>
</project>
EOF
  # (Maven 3.8's default dependency plugin is too old for this; pin 3.6.1)
  if ! mvn -q -B -Dstyle.color=never -f "$tmp/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp/libs" >"$tmp/mvn.log" 2>&1; then
    cat "$tmp/mvn.log" >&2
    rm -rf "$tmp"
    die "Maven could not fetch Kafka (is Maven Central reachable?)"
  fi
  [[ -f "$tmp/libs/kafka_$SCALA_VERSION-$KAFKA_VERSION.jar" ]] || { rm -rf "$tmp"; die "fetch finished without kafka_$SCALA_VERSION-$KAFKA_VERSION.jar"; }
  rm -rf "$LIBS_DIR"
  mv "$tmp/libs" "$LIBS_DIR"
  cp "$tmp/pom.xml" "$DIST_DIR/pom.xml"
  rm -rf "$tmp"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$LIBS_MARKER"
  log "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars into $LIBS_DIR in $(elapsed "$started") s"
  exec 8>&-
}

write_config() {
  mkdir -p "$DATA_DIR"
  cat >"$SERVER_PROPS" <<EOF
# Generated by scripts/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
auto.create.topics.enable=true
num.partitions=3
log.retention.hours=24
EOF
  # Everything goes to stdout, which start redirects into kafka.log (rotated on start).
  cat >"$LOG4J_PROPS" <<'EOF'
# Generated by scripts/kafka.sh.
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.controller=INFO
log4j.logger.kafka.log.LogCleaner=INFO
log4j.logger.kafka.authorizer.logger=WARN
EOF
}

format_storage() {
  # -g: a directory that is already formatted is left alone (data survives restarts).
  if ! "$JAVA_BIN" -Xmx256m -Dlog4j.configuration=file:"$LOG4J_PROPS" -cp "$LIBS_DIR/*" \
    kafka.tools.StorageTool format -g -t "$CLUSTER_ID" -c "$SERVER_PROPS" >>"$LOG_FILE" 2>&1; then
    tail_log 20
    die "formatting $DATA_DIR failed"
  fi
}

rotate_log() {
  if [[ -f "$LOG_FILE" ]] && (($(stat -c %s "$LOG_FILE") > LOG_ROTATE_BYTES)); then
    mv -f "$LOG_FILE" "$LOG_FILE.1"
  fi
}

cmd_start() {
  local started=$EPOCHREALTIME pid
  mkdir -p "$STATE_DIR"
  take_state_lock

  pid="$(broker_pid)"
  if [[ -z "$pid" ]] && broker_answers; then
    log "a broker already answers on $HOST:$PORT (not started by this script's state dir $STATE_DIR); leaving it alone"
    return 0
  fi
  if [[ -n "$pid" ]]; then
    if broker_answers; then
      log "already running (pid $pid) and ready on $HOST:$PORT"
      return 0
    fi
    log "already running (pid $pid) but not ready yet; waiting"
  else
    port_open "$PORT" && die "port $PORT is in use by something that is not a Kafka broker"
    port_open "$CONTROLLER_PORT" && die "controller port $CONTROLLER_PORT is already in use"
    command -v "$JAVA_BIN" >/dev/null || die "java not found (Java 17 is needed)"
    fetch_jars
    started=$EPOCHREALTIME # report the start itself, not the one-off download
    write_config
    rotate_log
    format_storage
    printf '\n==== %s scripts/kafka.sh start ====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$LOG_FILE"
    # setsid: own session, so Ctrl-C in (or the end of) the calling shell does not kill it.
    # 8>&- 9>&-: the broker must not inherit (and so hold forever) the fetch and state locks.
    # shellcheck disable=SC2086
    setsid nohup "$JAVA_BIN" $HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -Djava.awt.headless=true \
      -Dlog4j.configuration=file:"$LOG4J_PROPS" \
      -cp "$LIBS_DIR/*" kafka.Kafka "$SERVER_PROPS" \
      >>"$LOG_FILE" 2>&1 </dev/null 8>&- 9>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"
    log "starting (pid $pid), log: $LOG_FILE"
  fi

  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until broker_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      # (if setsid had to fork, $! was the short-lived setsid: look the broker up instead)
      pid="$(broker_pid)"
      if [[ -n "$pid" ]]; then echo "$pid" >"$PID_FILE"; fi
    fi
    if [[ -z "$pid" ]]; then
      rm -f "$PID_FILE"
      tail_log 40
      die "broker exited before it became ready"
    fi
    if ((SECONDS >= deadline)); then
      tail_log 40
      die "broker not ready after ${READY_TIMEOUT_S}s (pid $pid still running; see $LOG_FILE)"
    fi
    sleep 0.5
  done
  log "ready on $HOST:$PORT (pid $pid) after $(elapsed "$started") s"
}

cmd_stop() {
  local started=$EPOCHREALTIME pid
  mkdir -p "$STATE_DIR"
  take_state_lock

  pid="$(broker_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PID_FILE"
    if port_open "$PORT"; then
      log "not running from $STATE_DIR (something else listens on $HOST:$PORT; not touching it)"
    else
      log "not running"
    fi
    return 0
  fi
  log "stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "still running after ${STOP_TIMEOUT_S}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  log "stopped after $(elapsed "$started") s"
}

cmd_status() {
  local pid
  pid="$(broker_pid)"
  echo "state dir: $STATE_DIR"
  echo "jars:      $LIBS_DIR ($([[ -f "$LIBS_MARKER" ]] && echo fetched || echo 'not fetched'))"
  if [[ -n "$pid" ]]; then
    if broker_answers; then
      echo "broker:    running (pid $pid), ready on $HOST:$PORT"
      return 0
    fi
    echo "broker:    running (pid $pid), NOT answering on $HOST:$PORT"
    return 1
  fi
  if broker_answers; then
    echo "broker:    not started from this state dir, but a broker answers on $HOST:$PORT"
    return 0
  fi
  echo "broker:    stopped"
  return 3
}

cmd_logs() {
  local follow=0 lines=100 arg
  for arg in "$@"; do
    case "$arg" in
      -f | --follow) follow=1 ;;
      '' | *[!0-9]*) die "usage: $0 logs [-f] [lines]" ;;
      *) lines="$arg" ;;
    esac
  done
  [[ -f "$LOG_FILE" ]] || die "no log yet at $LOG_FILE"
  if ((follow)); then
    exec tail -n "$lines" -F "$LOG_FILE"
  fi
  tail -n "$lines" "$LOG_FILE"
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}"
  shift || true
  case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart)
      local started=$EPOCHREALTIME
      cmd_stop
      exec 9>&-
      cmd_start
      log "restarted in $(elapsed "$started") s"
      ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
