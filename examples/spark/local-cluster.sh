#!/usr/bin/env bash
# A standalone Spark cluster on 127.0.0.1 (a master and SPARK_WORKERS workers
# of one core each, default 2), the job run on it with spark-submit, then the
# cluster stopped: on any exit (trap), every JVM it started is gone, checked.
# Usage: examples/spark/local-cluster.sh ENV_DIR [reevaluate.py arguments…]
#   ENV_DIR as examples/spark/make-env.sh leaves it (driver/ and verdict-env.tar.gz).
#   SPARK_WORKERS (2), WORKER_MEMORY (1g), EXECUTOR_MEMORY (768m), KEEP_LOGS=1 keeps the logs.
# Prints the job's output and `local-cluster.sh: job … s`; exits with the job's status.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 ENV_DIR [reevaluate.py arguments…]" >&2; exit 2; }
env_dir="$(cd "$1" && pwd)"; shift
py="$env_dir/driver/bin/python"
archive="$env_dir/verdict-env.tar.gz"
for f in "$py" "$archive"; do
  [ -e "$f" ] || { echo "local-cluster.sh: error: no $f"; echo "  hint: run examples/spark/make-env.sh $env_dir first"; exit 1; } >&2
done
command -v java >/dev/null || { echo "local-cluster.sh: error: no java; hint: install Java 17 or 21 (Spark 4 needs one)" >&2; exit 1; }
workers=${SPARK_WORKERS:-2}
export SPARK_HOME="$("$py" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
work="$(mktemp -d "${TMPDIR:-/tmp}/verdict-spark-cluster.XXXXXX")"
export SPARK_LOG_DIR="$work/logs" SPARK_PID_DIR="$work/pids" SPARK_WORKER_DIR="$work/work" SPARK_IDENT_STRING="$(id -un)"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_MASTER_HOST=127.0.0.1 SPARK_CONF_DIR="$work/conf"
mkdir -p "$SPARK_CONF_DIR"
# free ports, so that clusters of other users of the machine do not meet ours
read -r -a ports < <("$py" - "$workers" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(2 + 2 * int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
PY
)
master_port=${ports[0]} master_ui=${ports[1]}

# pip's pyspark has sbin/spark-daemon.sh but not start-master.sh/start-worker.sh:
# the daemons are started as those scripts start them
MASTER=org.apache.spark.deploy.master.Master WORKER=org.apache.spark.deploy.worker.Worker
daemon() { "$SPARK_HOME/sbin/spark-daemon.sh" "$@" >/dev/null 2>&1; }

our_pids() {
  # the daemons by their pid files, and any JVM working in our folders (executors)
  cat "$SPARK_PID_DIR"/*.pid 2>/dev/null || true
  for p in /proc/[0-9]*; do
    case "$(readlink "$p/cwd" 2>/dev/null)" in "$work"*) echo "${p#/proc/}" ;; esac
  done
}
tree() { echo "$1"; for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do tree "$c"; done; }
stop_cluster() {
  local status=$?
  set +e
  # a job still running (the script was interrupted): spark-submit, its driver and their children
  if [ -n "${submit:-}" ] && kill -0 "$submit" 2>/dev/null; then
    local job_pids
    job_pids=$(tree "$submit")
    kill $job_pids 2>/dev/null; sleep 2; kill -9 $job_pids 2>/dev/null
  fi
  for i in $(seq 1 "$workers"); do daemon stop "$WORKER" "$i"; done
  daemon stop "$MASTER" 1
  local left
  for _ in $(seq 1 20); do
    left=$(for p in $(our_pids | sort -u); do kill -0 "$p" 2>/dev/null && echo "$p"; done)
    [ -z "$left" ] && break
    sleep 0.5
  done
  if [ -n "$left" ]; then
    echo "local-cluster.sh: stopping leftover processes $left" >&2
    kill $left 2>/dev/null; sleep 2; kill -9 $left 2>/dev/null
  fi
  left=$(for p in $(our_pids | sort -u); do kill -0 "$p" 2>/dev/null && echo "$p"; done)
  [ -z "$left" ] && echo "local-cluster.sh: cluster stopped, no JVM left" >&2 || { echo "local-cluster.sh: processes left: $left" >&2; status=1; }
  if [ -n "${KEEP_LOGS:-}" ] || [ "$status" -ne 0 ]; then echo "local-cluster.sh: logs in $work/logs" >&2; else rm -rf "$work"; fi
  exit "$status"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

start=$SECONDS
daemon start "$MASTER" 1 --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui"
master="spark://127.0.0.1:$master_port"
for i in $(seq 1 "$workers"); do
  daemon start "$WORKER" "$i" --host 127.0.0.1 --port "${ports[2 * i]}" --webui-port "${ports[2 * i + 1]}" \
    --cores 1 --memory "${WORKER_MEMORY:-1g}" --work-dir "$SPARK_WORKER_DIR" "$master"
done
# up when the master counts every worker alive
"$py" - "$master_ui" "$workers" <<'PY' || { echo "local-cluster.sh: error: the cluster did not come up; see the logs" >&2; exit 1; }
import json, sys, time, urllib.request
url, want = f"http://127.0.0.1:{sys.argv[1]}/json/", int(sys.argv[2])
for _ in range(240):
    try:
        if json.load(urllib.request.urlopen(url, timeout=2)).get("aliveworkers", 0) >= want:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit(1)
PY
echo "local-cluster.sh: master $master with $workers workers of 1 core, up in $((SECONDS - start)) s" >&2

job_start=$SECONDS
set +e
PYSPARK_PYTHON=./environment/bin/python PYSPARK_DRIVER_PYTHON="$py" \
"$SPARK_HOME/bin/spark-submit" --master "$master" \
  --archives "$archive#environment" \
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
  --conf spark.executor.memory="${EXECUTOR_MEMORY:-768m}" --conf spark.executor.cores=1 \
  --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false \
  --conf "spark.driver.extraJavaOptions=-Dlog4j2.level=warn" \
  "$here/reevaluate.py" "$@" &
submit=$!
wait "$submit"   # in the background, so that an INT or TERM reaches the trap at once
status=$?
set -e
echo "local-cluster.sh: job $((SECONDS - job_start)) s (exit $status)" >&2
exit "$status"
