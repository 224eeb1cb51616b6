#!/usr/bin/env bash
# Times full builds of the shared corpus: wall time and peak memory of the
# ruledex binary, best of N runs. Usage: scripts/bench-build.sh [runs] [KIND...]
# (KIND defaults to every ruleset ruledex reads). Figures go to BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(splunk sigma elastic)
shared=${RULEDEX_SHARED:-../shared}
bin=$(mktemp -d)/ruledex
go build -o "$bin" ./cmd/ruledex
sets=()
for k in "${kinds[@]}"; do sets+=("$k=$shared/corpus/$k"); done
out=$(mktemp -d -p "${RULEDEX_OUT:-${TMPDIR:-/tmp}}") # RULEDEX_OUT=/dev/shm: time the build into tmpfs
echo "ruledex build ${sets[*]} (best of $runs, $(nproc) cores, $(go version | cut -d' ' -f3))"
best_wall=999999; best_rss=0
for i in $(seq "$runs"); do
  # A new folder each run, as on a clean checkout: deleting the last run's
  # 20,000 files first makes the disk (ext4 mounted with discard) replay
  # that deletion during the next build and triples its time.
  /usr/bin/time -f "%e %M" -o "$out/time" "$bin" build --offline --out "$out/site$i" \
    --attack "$shared/attack/enterprise-attack-18.1.json.gz" "${sets[@]}" 2>"$out/log" || { cat "$out/log"; exit 1; }
  read -r wall rss <"$out/time"
  echo "  run $i: ${wall} s wall, $((rss / 1024)) MB peak RSS"
  if awk "BEGIN{exit !($wall < $best_wall)}"; then best_wall=$wall; best_rss=$rss; fi
done
tail -1 "$out/log"
echo "best: ${best_wall} s wall, $((best_rss / 1024)) MB peak RSS"
rm -rf "$out" "$(dirname "$bin")"
