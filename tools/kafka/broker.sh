#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) on 127.0.0.1, for
# integration tests. The broker's jars come from Maven Central through tools/kafka/pom.xml.
#
#   broker.sh fetch              copy the broker's class path into the cache (skipped when complete)
#   broker.sh start              start a fresh broker in a new temp dir; prints on stdout
#                                  KAFKA_BROKERS=127.0.0.1:<port>
#                                  KAFKA_STATE_FILE=<temp dir>/broker.env
#   broker.sh stop STATE_FILE    stop that broker (SIGTERM, then SIGKILL) and remove its temp dir
#   broker.sh halt STATE_FILE [--kill]
#                                stop that broker but keep its dir (data, ports, state file), for an
#                                outage test: SIGTERM then SIGKILL, or SIGKILL at once with --kill
#   broker.sh resume STATE_FILE  start a halted broker again on the same ports and data; prints
#                                  KAFKA_BROKERS=127.0.0.1:<port>
#
# Environment (all optional):
#   KAFKA_CACHE_DIR        where the jars go (default <repo>/.cache/kafka/<kafka version>)
#   KAFKA_TMP_ROOT         parent of the brokers' temp dirs (default $TMPDIR or /tmp)
#   KAFKA_HEAP             JVM max heap (default 512m)
#   KAFKA_JAVA_OPTS        extra JVM options
#   KAFKA_START_TIMEOUT_S  bound on start-up (default 60)
#   KAFKA_STOP_TIMEOUT_S   bound on a graceful stop before SIGKILL (default 20)
#   KAFKA_WATCH_PID        if set, a watchdog stops the broker once that process has exited
#                          (so a killed test runner does not leave the broker behind)
# Progress goes to stderr; stdout carries only the KEY=value lines above.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
POM="$HERE/pom.xml"
UTIL="$HERE/broker-util.js"

KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\([^<]*\)</kafka.version>.*:\1:p' "$POM" | head -n 1)"
[[ -n "$KAFKA_VERSION" ]] || { echo "broker.sh: no <kafka.version> in $POM" >&2; exit 1; }
KAFKA_MAJOR="${KAFKA_VERSION%%.*}"
CACHE_DIR="${KAFKA_CACHE_DIR:-$REPO_ROOT/.cache/kafka/$KAFKA_VERSION}"
LIBS="$CACHE_DIR/libs"
MARKER="$CACHE_DIR/.complete"

START_TIMEOUT_S="${KAFKA_START_TIMEOUT_S:-60}"
STOP_TIMEOUT_S="${KAFKA_STOP_TIMEOUT_S:-20}"

log() { echo "broker.sh: $*" >&2; }
die() { log "$*"; exit 1; }

now_ms() { date +%s%3N; }

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

fetch_complete() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(pom_hash)" && -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]]
}

cmd_fetch() {
  command -v java >/dev/null || die "java is not on PATH (Java 17+ is needed)"
  if fetch_complete; then
    log "kafka $KAFKA_VERSION class path already in $LIBS"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn is not on PATH (Maven fetches the broker from Maven Central)"
  mkdir -p "$CACHE_DIR"
  # One fetch at a time per cache dir (two test runs may start together).
  exec 9>"$CACHE_DIR.lock"
  flock -w 600 9 || die "could not lock $CACHE_DIR.lock within 600 s"
  if fetch_complete; then
    log "kafka $KAFKA_VERSION class path already in $LIBS"
    return 0
  fi
  local started staging
  started="$(now_ms)"
  staging="$CACHE_DIR/libs.partial"
  rm -rf "$staging" "$MARKER"
  log "fetching kafka $KAFKA_VERSION with Maven into $LIBS"
  # (Debian's Maven 3.8 prints bare colour resets even with -B: stripped.)
  mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$staging" 2>&1 |
    sed $'s/\e\\[[0-9;]*m//g' >&2
  [[ -f "$staging/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "Maven did not produce kafka_2.13-$KAFKA_VERSION.jar"
  rm -rf "$LIBS"
  mv "$staging" "$LIBS"
  pom_hash >"$MARKER"
  log "fetched kafka $KAFKA_VERSION ($(find "$LIBS" -name '*.jar' | wc -l) jars) in $(( $(now_ms) - started )) ms"
}

# The state file is KEY=value lines written by cmd_start; read one key without executing the file.
state_get() { sed -n "s/^$2=//p" "$1" | head -n 1; }

# True if PID is alive and is the java process started for broker dir DIR.
is_our_broker() {
  local pid="$1" dir="$2"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/server.properties"
}

terminate() {
  local pid="$1" dir="$2" deadline
  is_our_broker "$pid" "$dir" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( $(date +%s) + STOP_TIMEOUT_S ))
  while is_our_broker "$pid" "$dir" && (( $(date +%s) < deadline )); do sleep 0.2; done
  if is_our_broker "$pid" "$dir"; then
    log "broker pid $pid still running after ${STOP_TIMEOUT_S} s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while is_our_broker "$pid" "$dir"; do sleep 0.1; done
  fi
}

write_server_properties() {
  local dir="$1" port="$2" controller_port="$3"
  {
    cat <<EOF
# Single-node KRaft test broker written by tools/kafka/broker.sh: loopback only.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data

offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
min.insync.replicas=1
default.replication.factor=1
num.partitions=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true

# Small footprint: 2 cores, shared with the tests.
num.network.threads=2
num.io.threads=2
background.threads=2
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=16777216
EOF
    if (( KAFKA_MAJOR >= 4 )); then
      cat <<EOF
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=1
EOF
    else
      # 3.x (not exercised here): a static voter set, formatted without --standalone.
      echo "controller.quorum.voters=1@127.0.0.1:$controller_port"
    fi
  } >"$dir/server.properties"
}

# The JVM options of every launch (start and resume) of the broker in DIR, in the array JAVA_OPTS.
java_options() {
  local dir="$1"
  # Serial GC and the C1 compiler only: fewer threads and ~0.5 s faster start-up on 2 cores; a test
  # broker needs no peak throughput.
  JAVA_OPTS=(
    "-Xmx${KAFKA_HEAP:-512m}" -Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
    -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$HERE/log4j2.properties"
    "-Dkafka.logs.dir=$dir/logs"
  )
  # shellcheck disable=SC2206
  [[ -n "${KAFKA_JAVA_OPTS:-}" ]] && JAVA_OPTS+=(${KAFKA_JAVA_OPTS})
  return 0
}

# Starts the broker of DIR in the background; its pid goes to LAUNCHED_PID.
launch_broker() {
  local dir="$1"
  java_options "$dir"
  # setsid: the broker outlives this script and is not in the caller's process group; no fd of the
  # caller stays open in it (a caller reading our stdout must see it close when we exit).
  setsid java "${JAVA_OPTS[@]}" -cp "$LIBS/*" kafka.Kafka "$dir/server.properties" \
    </dev/null >>"$dir/logs/server.out" 2>&1 &
  LAUNCHED_PID=$!
}

# Waits until the broker PID of DIR answers on PORT as a live broker.
await_broker() {
  local pid="$1" dir="$2" port="$3" deadline
  deadline=$(( $(date +%s) + START_TIMEOUT_S ))
  until node "$UTIL" probe 127.0.0.1 "$port"; do
    is_our_broker "$pid" "$dir" || die "broker exited during start-up"
    (( $(date +%s) < deadline )) || die "broker did not answer on 127.0.0.1:$port within ${START_TIMEOUT_S} s"
    sleep 0.3
  done
}

# With KAFKA_WATCH_PID set: a watchdog that stops the broker once that process has exited; it ends by
# itself when the broker is gone (stopped or halted).
start_watchdog() {
  local pid="$1" state="$2"
  [[ -n "${KAFKA_WATCH_PID:-}" ]] || return 0
  # shellcheck disable=SC2016 # expanded by the inner bash, from its arguments
  setsid bash -c '
    while kill -0 "$1" 2>/dev/null; do
      kill -0 "$2" 2>/dev/null || exit 0
      sleep 2
    done
    exec bash "$3" stop "$4"' broker-watchdog "$KAFKA_WATCH_PID" "$pid" "$HERE/broker.sh" "$state" \
    </dev/null >/dev/null 2>&1 &
  state_set "$state" KAFKA_WATCHDOG_PID "$!"
}

# Replaces (or adds) KEY=value in a state file.
state_set() {
  local state="$1" key="$2" value="$3"
  if grep -q "^$key=" "$state"; then sed -i "s|^$key=.*|$key=$value|" "$state"; else echo "$key=$value" >>"$state"; fi
}

cmd_start() {
  fetch_complete || die "kafka $KAFKA_VERSION is not fetched into $CACHE_DIR: run '$0 fetch' first"
  local started dir port controller_port cluster_id pid state
  started="$(now_ms)"
  mkdir -p "${KAFKA_TMP_ROOT:-${TMPDIR:-/tmp}}"
  dir="$(mktemp -d "${KAFKA_TMP_ROOT:-${TMPDIR:-/tmp}}/kafka-broker.XXXXXX")"
  mkdir -p "$dir/data" "$dir/logs"
  state="$dir/broker.env"

  # On any failure before the broker is up: stop what was started, show its log, remove the dir.
  START_DIR="$dir"
  START_PID=""
  trap start_failed EXIT

  { read -r port; read -r controller_port; } < <(node "$UTIL" free-ports 2)
  [[ "$port" =~ ^[0-9]+$ && "$controller_port" =~ ^[0-9]+$ ]] || die "could not pick free ports"
  write_server_properties "$dir" "$port" "$controller_port"

  java_options "$dir"
  cluster_id="$(node "$UTIL" cluster-id)"
  local format_args=(format --cluster-id "$cluster_id" --config "$dir/server.properties")
  (( KAFKA_MAJOR >= 4 )) && format_args+=(--standalone)
  java "${JAVA_OPTS[@]}" -cp "$LIBS/*" kafka.tools.StorageTool "${format_args[@]}" \
    >"$dir/logs/format.out" 2>&1 || { cat "$dir/logs/format.out" >&2; die "StorageTool format failed"; }

  launch_broker "$dir"
  pid="$LAUNCHED_PID"
  START_PID="$pid"
  {
    echo "KAFKA_BROKERS=127.0.0.1:$port"
    echo "KAFKA_PID=$pid"
    echo "KAFKA_DIR=$dir"
    echo "KAFKA_CONTROLLER_PORT=$controller_port"
    echo "KAFKA_LOG=$dir/logs/server.out"
  } >"$state"

  await_broker "$pid" "$dir" "$port"
  trap - EXIT
  start_watchdog "$pid" "$state"

  log "kafka $KAFKA_VERSION up on 127.0.0.1:$port (pid $pid, dir $dir) in $(( $(now_ms) - started )) ms"
  echo "KAFKA_BROKERS=127.0.0.1:$port"
  echo "KAFKA_STATE_FILE=$state"
}

start_failed() {
  local dir="$START_DIR"
  trap - EXIT
  if [[ -f "$dir/logs/server.out" ]]; then
    log "last lines of $dir/logs/server.out:"
    tail -n 40 "$dir/logs/server.out" >&2 || true
  fi
  if [[ -n "$START_PID" ]]; then terminate "$START_PID" "$dir"; fi
  safe_remove "$dir"
}

# Removes a broker temp dir, and only that: a dir named kafka-broker.* holding our server.properties.
safe_remove() {
  local dir="$1"
  [[ -d "$dir" && "$(basename "$dir")" == kafka-broker.* && -f "$dir/server.properties" ]] || return 0
  rm -rf -- "$dir"
}

cmd_stop() {
  local state="${1:-}"
  [[ -n "$state" ]] || die "usage: $0 stop STATE_FILE"
  if [[ ! -f "$state" ]]; then
    log "no state file $state: nothing to stop"
    return 0
  fi
  local pid dir
  pid="$(state_get "$state" KAFKA_PID)"
  dir="$(state_get "$state" KAFKA_DIR)"
  [[ -n "$dir" && "$(cd "$(dirname "$state")" && pwd)" == "$dir" ]] || die "$state does not belong to a broker dir"
  local started
  started="$(now_ms)"
  # The watchdog (if any) is no longer needed; once it runs `stop` itself its command line changes.
  local watchdog
  watchdog="$(state_get "$state" KAFKA_WATCHDOG_PID)"
  if [[ "$watchdog" =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$watchdog/cmdline" 2>/dev/null | grep -qF ' broker-watchdog '; then
    kill -TERM -- "-$watchdog" 2>/dev/null || true # its own process group (setsid): with its sleep
  fi
  terminate "$pid" "$dir"
  safe_remove "$dir"
  log "stopped broker pid $pid and removed $dir in $(( $(now_ms) - started )) ms"
}

# The broker dir a state file belongs to (checked as cmd_stop does), in STATE_DIR.
state_dir_of() {
  local state="$1"
  [[ -f "$state" ]] || die "no state file $state"
  STATE_DIR="$(state_get "$state" KAFKA_DIR)"
  [[ -n "$STATE_DIR" && "$(cd "$(dirname "$state")" && pwd)" == "$STATE_DIR" ]] || die "$state does not belong to a broker dir"
}

cmd_halt() {
  local state="${1:-}" how="${2:-}"
  [[ -n "$state" && ( -z "$how" || "$how" == "--kill" ) ]] || die "usage: $0 halt STATE_FILE [--kill]"
  state_dir_of "$state"
  local pid started
  pid="$(state_get "$state" KAFKA_PID)"
  started="$(now_ms)"
  if [[ "$how" == "--kill" ]] && is_our_broker "$pid" "$STATE_DIR"; then
    kill -KILL "$pid" 2>/dev/null || true
    while is_our_broker "$pid" "$STATE_DIR"; do sleep 0.1; done
  else
    terminate "$pid" "$STATE_DIR"
  fi
  log "halted broker pid $pid ($([[ "$how" == "--kill" ]] && echo SIGKILL || echo SIGTERM)) in $(( $(now_ms) - started )) ms; $STATE_DIR kept"
}

cmd_resume() {
  local state="${1:-}"
  [[ -n "$state" ]] || die "usage: $0 resume STATE_FILE"
  fetch_complete || die "kafka $KAFKA_VERSION is not fetched into $CACHE_DIR: run '$0 fetch' first"
  state_dir_of "$state"
  local pid port started
  pid="$(state_get "$state" KAFKA_PID)"
  is_our_broker "$pid" "$STATE_DIR" && die "broker pid $pid of $STATE_DIR is running: halt it first"
  port="$(state_get "$state" KAFKA_BROKERS)"
  port="${port##*:}"
  started="$(now_ms)"
  launch_broker "$STATE_DIR"
  pid="$LAUNCHED_PID"
  state_set "$state" KAFKA_PID "$pid"
  await_broker "$pid" "$STATE_DIR" "$port"
  start_watchdog "$pid" "$state"
  log "resumed broker on 127.0.0.1:$port (pid $pid, dir $STATE_DIR) in $(( $(now_ms) - started )) ms"
  echo "KAFKA_BROKERS=127.0.0.1:$port"
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) shift; cmd_stop "$@" ;;
  halt) shift; cmd_halt "$@" ;;
  resume) shift; cmd_resume "$@" ;;
  *) echo "usage: $0 fetch | start | stop STATE_FILE | halt STATE_FILE [--kill] | resume STATE_FILE" >&2; exit 2 ;;
esac
