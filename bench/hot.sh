#!/usr/bin/env bash
# bench/hot.sh: only the hot-page rows of bench/run.sh, for working on the
# cache-hit path: a cached article page from newsdesk against the bare Go
# server (bench/static) sending the same bytes and the same headers, in
# alternating wrk runs, and optionally under valgrind's callgrind, whose
# instruction counts do not drift with the load of a shared machine.
#
#   bench/hot.sh --data DIR --out DIR                 # a corpus made by bench/corpus
#   bench/hot.sh --data DIR --out DIR --bin old=/tmp/a --bin new=/tmp/b
#                                                     # two builds of newsdesk side by side
#   bench/hot.sh ... --bin 'gogc100=env GOGC=100 /tmp/b'   # with an environment
#   bench/hot.sh --data DIR --out DIR --rounds 5 --duration 10 --callgrind 5000
#
# Each newsdesk gets its own copy of the data directory (cp -a) and serves
# it with --no-demo --trust-proxy on port 0; bench/static serves the bytes
# of the article page (out/article.txt) with every header the first
# newsdesk sent with it except Date, Content-Length and Content-Type (which
# it sets itself). Rounds run wrk -t2 -c50 on each server in turn; the
# table gives each server's median req/s, p50, p99, CPU per request (its
# user + system time over the run, from /proc) and the ratio of the medians
# to the bare server's. --callgrind N then runs each server alone under
# callgrind (GODEBUG=asyncpreemptoff=1: callgrind cannot follow Go's
# preemption signals), sends 500 requests to warm it, then N counted ones
# over 4 connections (bench/hits), and prints the instructions per request
# in user space (the kernel's write is the same for all). The callgrind
# files are kept in the work directory for callgrind_annotate (--keep).
# Hold /work/bench.lock (flock) around it on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA="" OUT="" ROUNDS=5 DURATION=10 CONNS=50 THREADS=2 CALLGRIND=0 KEEP=0
BINS=()
usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --bin) BINS+=("$2"); shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --callgrind) CALLGRIND=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "hot: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$DATA" ] && [ -n "$OUT" ] || { usage >&2; exit 2; }
command -v wrk >/dev/null || { echo "hot: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/newsdesk-hot.XXXXXX)
BIN=$WORK/bin
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$KEEP" = 1 ]; then echo "hot: work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'hot: %s\n' "$*" >&2; }

mkdir -p "$BIN"
for t in static firstbyte hits; do go build -o "$BIN/$t" "./bench/$t"; done
if [ ${#BINS[@]} = 0 ]; then
  go build -o "$BIN/newsdesk" ./cmd/newsdesk
  BINS=("newsdesk=$BIN/newsdesk")
fi
ARTICLE=$(cat "$OUT/article.txt")

# start NAME ARGS...: a server on port 0; sets SPID and SURL.
start() {
  local name=$1; shift
  local t0
  t0=$(date +%s%N)
  "$@" >"$WORK/$name.log" 2>&1 &
  SPID=$!
  PIDS+=("$SPID")
  SURL=$("$BIN/firstbyte" --log "$WORK/$name.log" --since "$t0" --timeout 300s) ||
    { log "$name did not start:"; cat "$WORK/$name.log" >&2; exit 1; }
  SURL=${SURL#* }
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.2f", n }'
}
median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# The servers: every newsdesk on its own copy of the data, then the bare one.
NAMES=() URLS=() SPIDS=()
i=0
for b in "${BINS[@]}"; do
  name=${b%%=*} path=${b#*=}
  cp -a "$DATA" "$WORK/data-$i"
  # shellcheck disable=SC2086 # the command may be "env NAME=VALUE path"
  start "$name" $path serve --data "$WORK/data-$i" --addr 127.0.0.1:0 --no-demo --trust-proxy
  NAMES+=("$name"); URLS+=("$SURL"); SPIDS+=("$SPID")
  curl -s -o "$WORK/page-$i.html" "$SURL$ARTICLE"
  i=$((i + 1))
done
HARGS=()
while IFS= read -r line; do
  case "$line" in ""|HTTP/*|Date:*|Content-Length:*|Content-Type:*) ;; *) HARGS+=(--header "$line") ;; esac
done < <(curl -s -D - -o /dev/null "${URLS[0]}$ARTICLE" | tr -d '\r')
printf '%s\n' "${HARGS[@]}" | grep -v '^--header$' >"$WORK/headers.txt"
start static "$BIN/static" --file "$WORK/page-0.html" --addr 127.0.0.1:0 "${HARGS[@]}"
NAMES=("bare Go + headers" "${NAMES[@]}"); URLS=("$SURL" "${URLS[@]}"); SPIDS=("$SPID" "${SPIDS[@]}")
TICK=$(getconf CLK_TCK)

echo "hot pages, $(date -u +%Y-%m-%dT%H:%MZ), $(go env GOVERSION), $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
echo "page: $ARTICLE, $(wc -c <"$WORK/page-0.html") bytes, $(wc -l <"$WORK/headers.txt") headers besides Date, Content-Length, Content-Type"
echo "wrk -t$THREADS -c$CONNS -d${DURATION}s, $ROUNDS alternating rounds; uptime at the start: $(uptime)"
declare -A RPS P50 P99 CPU
for r in $(seq "$ROUNDS"); do
  for j in "${!NAMES[@]}"; do
    c0=$(cpu_ticks "${SPIDS[$j]}")
    out=$(wrk --latency -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 5s "${URLS[$j]}$ARTICLE" 2>&1) || true
    c1=$(cpu_ticks "${SPIDS[$j]}")
    rps=$(echo "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
    n=$(echo "$out" | awk '/requests in/ {print $1; exit}')
    RPS[$j]+="$rps "
    P50[$j]+="$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')") "
    P99[$j]+="$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')") "
    CPU[$j]+="$(awk -v c=$((c1 - c0)) -v t="$TICK" -v n="${n:-0}" 'BEGIN {if (n > 0) printf "%.1f", c / t / n * 1e6}') "
    log "round $r: ${NAMES[$j]}: $rps req/s"
  done
done
base=$(printf '%s\n' ${RPS[0]} | median)
printf '\n| %-22s | %8s | %7s | %7s | %9s | %6s | %s\n' server "req/s" "p50 ms" "p99 ms" "CPU µs/req" ratio "runs (req/s)"
printf '|%s|%s|%s|%s|%s|%s|%s\n' ------------------------ ---------: --------: --------: -----------: -------: -----
for j in "${!NAMES[@]}"; do
  m=$(printf '%s\n' ${RPS[$j]} | median)
  printf '| %-22s | %8.0f | %7s | %7s | %10s | %6s | %s\n' "${NAMES[$j]}" "$m" \
    "$(printf '%s\n' ${P50[$j]} | median)" "$(printf '%s\n' ${P99[$j]} | median)" "$(printf '%s\n' ${CPU[$j]} | median)" \
    "$(awk -v a="$m" -v b="$base" 'BEGIN {printf "%.2f", a / b}')" "${RPS[$j]}"
done
echo "uptime at the end: $(uptime)"

[ "$CALLGRIND" -gt 0 ] || exit 0
command -v valgrind >/dev/null || { log "valgrind is not installed: no instruction counts"; exit 0; }
for j in "${!SPIDS[@]}"; do stop "${SPIDS[$j]}"; done
echo
echo "callgrind: instructions in user space per request, $CALLGRIND requests on 4 connections after 500 to warm"
for j in "${!NAMES[@]}"; do
  if [ "$j" = 0 ]; then
    cmd=("$BIN/static" --file "$WORK/page-0.html" --addr 127.0.0.1:0 "${HARGS[@]}")
  else
    b=${BINS[$((j - 1))]}
    # shellcheck disable=SC2206
    cmd=(${b#*=} serve --data "$WORK/data-$((j - 1))" --addr 127.0.0.1:0 --no-demo --trust-proxy)
  fi
  f=$WORK/callgrind.$j
  GODEBUG=asyncpreemptoff=1 start "cg-$j" valgrind --tool=callgrind --trace-children=yes --instr-atstart=no --callgrind-out-file="$f.%p" "${cmd[@]}"
  "$BIN/hits" --url "$SURL$ARTICLE" --n 500 --c 4 >/dev/null
  callgrind_control -i on "$SPID" >/dev/null 2>&1
  "$BIN/hits" --url "$SURL$ARTICLE" --n "$CALLGRIND" --c 4 >"$WORK/hits-$j.txt"
  callgrind_control -d "$SPID" >/dev/null 2>&1
  callgrind_control -i off "$SPID" >/dev/null 2>&1
  stop "$SPID"
  dump=$(ls "$f".*.1)
  total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ && t == "" {gsub(/,/, "", $1); t = $1} END {print t}')
  printf '| %-22s | %12s instructions | %8.0f per request | %s\n' "${NAMES[$j]}" "$total" \
    "$(awk -v t="$total" -v n="$CALLGRIND" 'BEGIN {print t / n}')" "$(cat "$WORK/hits-$j.txt")"
  if [ "$j" = 0 ]; then
    CG0=$total
  else
    echo "    over the bare server: $(awk -v t="$total" -v b="$CG0" -v n="$CALLGRIND" 'BEGIN {printf "%.0f instructions per request (%.2f×)", (t - b) / n, t / b}'); file $dump"
  fi
done
