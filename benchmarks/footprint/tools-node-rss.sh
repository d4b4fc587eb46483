#!/usr/bin/env bash
# RSS of `zerotier-tools node` (idle) and of `zerotier-tools iperf -s` (a node under a TCP transfer) with the default
# JVM flags and with the small profile, in the same run: a root, a controller with a public network, then per profile
# an idle node and an iperf server fed by an iperf client (the client always runs with default flags).
# Usage: benchmarks/footprint/tools-node-rss.sh [path/to/zerotier-tools.jar]   (from the repository root)
set -euo pipefail
JAR=$(realpath "${1:-zerotier-tools/target/zerotier-tools.jar}")
SMALL=(${SMALL_FLAGS:--Xmx48m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=24m})
W=$(mktemp -d); cd "$W"; PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
zt() { java -jar "$JAR" "$@"; }
# Background servers run java directly (not through the function), so that $! is the JVM the EXIT trap stops.
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
zt identity generate root.secret root.public >/dev/null
zt identity generate controller.secret controller.public >/dev/null
zt planet create --id 0x00000000deadbeef --root root.public=127.0.0.1/39993 --signing-key planet.key --out planet >/dev/null
NWID=$(zt controller network create controller.d --identity controller.public --name lab --public \
  --pool 10.147.17.100-10.147.17.200 --route 10.147.17.0/24)
java -jar "$JAR" root --identity root.secret --planet planet --port 39993 --bind 127.0.0.1 --allow-loopback >root.log 2>&1 & PIDS+=($!)
java -jar "$JAR" controller --identity controller.secret --planet planet --port 39994 --data controller.d --allow-loopback >ctl.log 2>&1 & PIDS+=($!)
sleep 5
for profile in default small; do
  if [ $profile = small ]; then FLAGS=("${SMALL[@]}"); export MALLOC_ARENA_MAX=2; else FLAGS=(); unset MALLOC_ARENA_MAX; fi
  java "${FLAGS[@]}" -jar "$JAR" node --storage node-$profile --planet planet --port 0 --join "$NWID" --allow-loopback \
    >node-$profile.log 2>&1 & NODE=$!; PIDS+=($NODE)
  java "${FLAGS[@]}" -jar "$JAR" iperf -s --network "$NWID" --planet planet --storage srv-$profile --allow-loopback \
    >srv-$profile.log 2>&1 & SRV=$!; PIDS+=($SRV)
  until grep -q 'iperf3 server on' srv-$profile.log; do sleep 1; done
  until grep -q '"status":"OK"' node-$profile.log; do sleep 1; done
  sleep 20
  IDLE_NODE=$(rss $NODE); IDLE_SRV=$(rss $SRV)
  ADDR=$(sed -n 's/iperf3 server on \([0-9.]*\).*/\1/p' srv-$profile.log)
  (unset MALLOC_ARENA_MAX; zt iperf -c "$ADDR" -t 30 --network "$NWID" --planet planet --allow-loopback >cli-$profile.log 2>&1) & CLI=$!
  PEAK=0; for i in $(seq 1 28); do sleep 1; r=$(rss $SRV); [ "$r" -gt "$PEAK" ] && PEAK=$r; done
  wait $CLI || true
  echo "$profile: node idle ${IDLE_NODE} MB; iperf -s idle ${IDLE_SRV} MB, under load (max) ${PEAK} MB, after $(rss $SRV) MB;" \
    "$(grep -h 'sender' cli-$profile.log | tail -1)"
  kill $NODE $SRV; wait $NODE $SRV 2>/dev/null || true
done
