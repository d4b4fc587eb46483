#!/usr/bin/env bash
# RSS of the sample app (self-hosted: root, controller, the app's node, WebFlux, actuator, the demo client's node)
# with the default JVM flags and with the small profile of sample-app/README.md, in the same run: idle (demo client
# done, 30 s after its round trip) and under load (sample.demo-client.loop=true: the demo client calls /hello over
# ZeroTier on a new connection each time; the maximum over 30 s, and the calls made in that time).
# Usage: benchmarks/footprint/sample-app-rss.sh [path/to/sample-app.jar]   (from the repository root)
set -euo pipefail
JAR=$(realpath "${1:-sample-app/target/sample-app.jar}")
SMALL_LINE=$(grep '^MALLOC_ARENA_MAX=' "$(dirname "$0")/../../sample-app/README.md")
SMALL=($(echo "$SMALL_LINE" | sed 's/.* java \(.*\) -jar .*/\1/'))
W=$(mktemp -d); cd "$W"
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
for profile in default small; do
  for load in false true; do
    if [ $profile = small ]; then FLAGS=("${SMALL[@]}"); export MALLOC_ARENA_MAX=2; else FLAGS=(); unset MALLOC_ARENA_MAX; fi
    java "${FLAGS[@]}" -jar "$JAR" --zerotier.storage="$W/storage-$profile" --zerotier.port=0 \
      --zerotier.bind-addresses=127.0.0.1 --management.server.port=0 --sample.demo-client.loop=$load \
      >app-$profile-$load.log 2>&1 & APP=$!
    until grep -q 'Demo round trip OK' app-$profile-$load.log; do sleep 1; kill -0 $APP; done
    PEAK=0; for i in $(seq 1 30); do sleep 1; r=$(rss $APP); [ "$r" -gt "$PEAK" ] && PEAK=$r; done
    CALLS=$(grep -c 'more calls' app-$profile-$load.log || true)
    echo "$profile loop=$load: RSS now $(rss $APP) MB, max over 30 s $PEAK MB; loop calls logged: $((CALLS * 100))+"
    kill $APP; wait $APP 2>/dev/null || true
  done
done
