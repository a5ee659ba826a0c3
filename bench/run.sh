#!/usr/bin/env bash
# bench/run.sh: newsdesk side by side with a bare Go server, on loopback.
#
# One command from a fresh clone (needs Go; installs wrk with apt-get when run as root):
#
#   bench/run.sh                         # 20,000 articles, SQLite, 10 s per target
#   bench/run.sh --big                   # 100,000 articles
#   bench/run.sh --pg 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
#                                        # also on PostgreSQL (a scratch database
#                                        # is created on that server and dropped)
#   bench/run.sh --duration 5 --articles 2000   # a quick look
#   bench/run.sh --no-storm              # without the crawler storm (bench/storm)
#   bench/run.sh --articles 1000000      # the archive-scale targets (issue 19); with
#                                        # 100,000 or more articles a 10,000-article
#                                        # corpus is also made (--flat N, 0: not) to
#                                        # show that the cost is flat in the size
#   bench/run.sh --corpus DIR ...        # keep the corpora in DIR and reuse them on
#                                        # the next run with the same sizes (SQLite in
#                                        # DIR, PostgreSQL in newsdesk_bench_corpus_*
#                                        # databases on the --pg server, never dropped)
#
# It builds newsdesk and the helpers under bench/, generates the corpus
# straight into the store (bench/corpus), starts newsdesk (port 0, loopback)
# and measures its start-up time to first byte, starts the bare Go server
# (bench/static) with the exact bytes of the benchmarked article page, and
# drives both with wrk. It prints a table: requests per second, p50 and p99
# latency, and the ratio to the bare Go server, plus peak RSS (VmHWM) and
# start-up time. Then bench/storm runs a crawler storm against readers of
# hot pages and prints their p99 and the peak RSS, at the defaults and at
# --cache-mb 256, with the targets; bench/cold renders never-viewed pages
# of every kind with the cache off, and each class of search (bench/query.lua
# on bench/corpus's queries.txt) runs uncached. At the end every target of
# issue 19 is printed with its figure and met / NOT met. Every wrk run is bounded; the script
# stops exactly the processes it started, and removes its work directory
# unless --keep.
set -euo pipefail
cd "$(dirname "$0")/.."

ARTICLES=20000
COMMENTS=200000
DURATION=10
CONNS=50
THREADS=2
PG=""
KEEP=0
STORM=1
FLAT=""
CORPUS_DIR=""
usage() { sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) ARTICLES=$2; shift 2 ;;
    --big) ARTICLES=100000; shift ;;
    --comments) COMMENTS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --pg) PG=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --no-storm) STORM=0; shift ;;
    --flat) FLAT=$2; shift 2 ;;
    --corpus) CORPUS_DIR=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "bench: installing wrk from Debian's packages" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
fi
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
# nginx, from Debian's packages as wrk, serves the same bytes: the limit.
NGINX=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
if [ -z "$NGINX" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "bench: installing nginx from Debian's packages (no service is started)" >&2
  [ -e /usr/sbin/policy-rc.d ] || printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null 2>&1 || true
  NGINX=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
fi
command -v go >/dev/null || { echo "bench: go is not installed" >&2; exit 1; }

WORK=$(mktemp -d /tmp/newsdesk-bench.XXXXXX)
BIN=$WORK/bin
PIDS=()
PGDSNS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  for d in "${PGDSNS[@]}"; do "$BIN/pgdb" drop "$d" || true; done
  if [ "$KEEP" = 1 ]; then echo "bench: work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'bench: %s\n' "$*" >&2; }

log "building newsdesk and the helpers"
mkdir -p "$BIN"
go build -o "$BIN/newsdesk" ./cmd/newsdesk
for t in corpus static firstbyte pgdb storm cold; do go build -o "$BIN/$t" "./bench/$t"; done

# The comments table arrives with the comments feature; the corpus says
# whether it could fill it.
COMMENT_NOTE="articles only (no comments store on this build)"

# ---------------------------------------------------------------------------
# helpers

# make_corpus DB ARTICLES COMMENTS TAG: a corpus for DB (sqlite or
# postgres) made by bench/corpus; sets C_DATA (its data directory), C_OUT
# (its URL lists) and C_DSN (PostgreSQL's, or empty). With --corpus DIR it
# lives in DIR (and a kept database) and is reused when complete; else
# in the work directory (and a scratch database dropped at the end).
declare -A CORPUS_NOTE
make_corpus() {
  local db=$1 n=$2 comments=$3 tag=$4 key="$1, $2 articles"
  C_DSN=""
  if [ -n "$CORPUS_DIR" ]; then
    C_DATA=$CORPUS_DIR/$db-$n-$comments
    [ "$db" = postgres ] && C_DSN=$("$BIN/pgdb" create "$PG" "corpus_${n}_${comments}")
    if [ -f "$C_DATA/complete" ]; then
      C_OUT=$C_DATA/out
      CORPUS_NOTE[$key]="reused from $C_DATA ($(cat "$C_DATA/complete"))"
      log "$db: reusing the corpus in $C_DATA${C_DSN:+ and its database}"
      return
    fi
    rm -rf "$C_DATA"
    if [ "$db" = postgres ]; then
      "$BIN/pgdb" drop "$C_DSN"; C_DSN=$("$BIN/pgdb" create "$PG" "corpus_${n}_${comments}")
    fi
  else
    C_DATA=$WORK/data-$db$tag
    if [ "$db" = postgres ]; then C_DSN=$("$BIN/pgdb" create "$PG"); PGDSNS+=("$C_DSN"); fi
  fi
  C_OUT=$C_DATA/out
  log "$db: generating the corpus ($n articles, $comments comments)"
  local dbflag=() t0=$SECONDS logf=$WORK/corpus-$db$tag.log
  [ -n "$C_DSN" ] && dbflag=(--db "$C_DSN")
  "$BIN/corpus" --data "$C_DATA" --out "$C_OUT" --articles "$n" --comments "$comments" "${dbflag[@]}" 2>"$logf" ||
    { cat "$logf" >&2; exit 1; }
  CORPUS_NOTE[$key]="made in $((SECONDS - t0)) s ($(grep -E '^corpus: [0-9]+ articles .* in ' "$logf" | tail -1 | sed 's/^corpus: //'); $(grep '^corpus: search index built' "$logf" | sed 's/^corpus: //'))"
  log "$db: corpus ready in $((SECONDS - t0)) s"
  [ -n "$CORPUS_DIR" ] && echo "$n articles, $comments comments, made $(date -u +%Y-%m-%dT%H:%MZ) in $((SECONDS - t0)) s by $(git rev-parse --short HEAD 2>/dev/null || echo '?')" >"$C_DATA/complete"
  return 0
}

# start_server NAME ARGS...: starts a server on port 0, waits for its first
# byte, sets SERVER_PID, SERVER_URL and SERVER_TTFB (ms).
start_server() {
  local name=$1; shift
  local logf=$WORK/$name.log
  local t0
  t0=$(date +%s%N)
  "$@" >"$logf" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local out
  if ! out=$("$BIN/firstbyte" --log "$logf" --since "$t0" --timeout 120s); then
    log "$name did not start; its log:"; cat "$logf" >&2; exit 1
  fi
  SERVER_TTFB=${out%% *}
  SERVER_URL=${out#* }
}

stop_server() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

peak_rss_mb() { awk '/^VmHWM:/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# to_ms VALUE: wrk's "437.12us" / "2.09ms" / "1.20s" in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# run_wrk LABEL URL [wrk options...]: one bounded wrk run; appends a row.
ROWS=()
REQS=0
STATIC_RPS=""
STATIC_P99=""
run_wrk() {
  local label=$1 server=$2 url=$3; shift 3
  local out
  out=$(wrk --latency -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 5s "$@" "$url" 2>&1) || true
  echo "$out" >>"$WORK/wrk.txt"
  local rps p50 p99 non2xx extra=""
  rps=$(echo "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
  p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
  non2xx=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $NF}')
  [ -n "$non2xx" ] && extra="non-2xx/3xx: $non2xx"
  local xc st
  xc=$(echo "$out" | awk '/^xcache / {print $2, $3, $4}')
  st=$(echo "$out" | awk '/^statuses / {print $2}')
  [ -n "$xc" ] && extra="$extra $xc"
  [ -n "$st" ] && extra="statuses $st"
  if [ -z "$rps" ]; then
    ROWS+=("$label|$server|error|||$(echo "$out" | tail -1)")
    return
  fi
  ROWS+=("$label|$server|$rps|$p50|$p99|$extra")
  LAST_RPS=$rps
  # (awk reads to the end: a reader that quits early can kill the echo
  # with SIGPIPE, which pipefail and set -e turn into the script's exit)
  REQS=$(( REQS + $(echo "$out" | awk '/requests in/ && !n {n = $1} END {print n + 0}') ))
  LAST_P50=$p50
  LAST_P99=$p99
}

na() { ROWS+=("$1|$2|n/a|||$3"); }

# median of the numbers on standard input
median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# compare LABEL SERVER STATIC_URL NEWSDESK_URL: ROUNDS alternating runs of
# the bare Go server and newsdesk on the same page (the machine is shared,
# so load drifts); appends two rows with the median req/s and p99 of each.
ROUNDS=3
compare() {
  local label=$1 server=$2 surl=$3 nurl=$4 hurl=$5 i
  local srps=() sp50=() sp99=() nrps=() np50=() np99=() hrps=() hp50=() hp99=()
  local saved=("${ROWS[@]}")
  for i in $(seq "$ROUNDS"); do
    run_wrk x x "$surl"; srps+=("$LAST_RPS"); sp50+=("$LAST_P50"); sp99+=("$LAST_P99")
    run_wrk x x "$nurl"; nrps+=("$LAST_RPS"); np50+=("$LAST_P50"); np99+=("$LAST_P99")
    run_wrk x x "$hurl"; hrps+=("$LAST_RPS"); hp50+=("$LAST_P50"); hp99+=("$LAST_P99")
  done
  ROWS=("${saved[@]}")
  local a b c
  a=$(printf '%s\n' "${srps[@]}" | median); b=$(printf '%s\n' "${sp50[@]}" | median); c=$(printf '%s\n' "${sp99[@]}" | median)
  STATIC_RPS=${a%.*}; STATIC_P99=$c
  ROWS+=("$label|bare Go|$STATIC_RPS|$b|$c|median of $ROUNDS alternating runs: ${srps[*]} req/s")
  a=$(printf '%s\n' "${hrps[@]}" | median); b=$(printf '%s\n' "${hp50[@]}" | median); c=$(printf '%s\n' "${hp99[@]}" | median)
  ROWS+=("$label|bare Go + headers|${a%.*}|$b|$c|the same, also sending newsdesk's response headers: ${hrps[*]} req/s")
  CMP_H=${a%.*}
  a=$(printf '%s\n' "${nrps[@]}" | median); b=$(printf '%s\n' "${np50[@]}" | median); c=$(printf '%s\n' "${np99[@]}" | median)
  ROWS+=("$label|$server|${a%.*}|$b|$c|median of $ROUNDS alternating runs: ${nrps[*]} req/s")
  CMP_N=${a%.*}
}

# pair LABEL A_NAME A_URL B_NAME B_URL [wrk options...]: ROUNDS alternating
# runs of two servers on the same bytes; two rows with their medians, the
# second's note giving its ratio to the first (B/A req/s).
pair() {
  local label=$1 an=$2 au=$3 bn=$4 bu=$5 i; shift 5
  local arps=() ap50=() ap99=() brps=() bp50=() bp99=()
  local saved=("${ROWS[@]}")
  for i in $(seq "$ROUNDS"); do
    run_wrk x x "$au" "$@"; arps+=("$LAST_RPS"); ap50+=("$LAST_P50"); ap99+=("$LAST_P99")
    run_wrk x x "$bu" "$@"; brps+=("$LAST_RPS"); bp50+=("$LAST_P50"); bp99+=("$LAST_P99")
  done
  ROWS=("${saved[@]}")
  local a b c ra rb
  a=$(printf '%s\n' "${arps[@]}" | median); b=$(printf '%s\n' "${ap50[@]}" | median); c=$(printf '%s\n' "${ap99[@]}" | median)
  ra=${a%.*}
  ROWS+=("$label|$an|$ra|$b|$c|median of $ROUNDS alternating runs: ${arps[*]} req/s")
  a=$(printf '%s\n' "${brps[@]}" | median); b=$(printf '%s\n' "${bp50[@]}" | median); c=$(printf '%s\n' "${bp99[@]}" | median)
  rb=${a%.*}
  PAIR_RATIO=$(awk -v x="$rb" -v y="$ra" 'BEGIN {if (y > 0) printf "%.2f", x/y}')
  ROWS+=("$label|$bn|$rb|$b|$c|${PAIR_RATIO}× $an's req/s; runs: ${brps[*]}")
}

# Targets of issue 19: TGTS rows "target|figure|met?"; ratio A B prints A/B.
TGTS=()
tgt() { TGTS+=("$1|$2|$3"); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "?"}'; }
# lt A B: "met" when A < B.
lt() { awk -v a="$1" -v b="$2" 'BEGIN {if (a != "" && a + 0 < b + 0) print "met"; else print "NOT met"}'; }

# search_classes DB SIZE URL: each class of bench/corpus's queries.txt,
# uncached (the server's page cache is off), one connection; a row per
# class and its p95 target; SEARCH_P95[DB,SIZE,CLASS] keeps the figure.
declare -A SEARCH_P95
search_classes() {
  local db=$1 size=$2 url=$3 qf=$4 class out p95 dur=$(( DURATION < 5 ? DURATION : 5 ))
  [ -s "$qf" ] || { na "search classes" "newsdesk $db" "no queries.txt from bench/corpus"; return; }
  while IFS= read -r class; do
    out=$(QUERY_FILE=$qf QUERY_CLASS=$class wrk --latency -t1 -c1 -d"${dur}s" --timeout 5s -s bench/query.lua "$url/" 2>&1) || true
    echo "$out" >>"$WORK/wrk.txt"
    p95=$(to_ms "$(echo "$out" | awk '$1 == "p95" {print $2}')")
    local rps p50 p99
    rps=$(echo "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
    p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    SEARCH_P95[$db,$size,$class]=$p95
    ROWS+=("search: $class (uncached, $size)|newsdesk $db|${rps:-error}|$p50|$p99|p95 $p95 ms; $(grep -c "^$class	" "$qf") queries in turn, 1 connection")
    tgt "search p95 < 50 ms, $class, $db, $size articles" "$p95 ms" "$(lt "$p95" 50)"
  done < <(cut -f1 "$qf" | awk '!seen[$0]++')
}

# cold_pages DB SIZE DATA OUT [PGDSN]: bench/cold (never-viewed pages of
# every kind, cache off) into $WORK/cold-DB-SIZE.txt; its kinds' p50 and
# p99 into COLD_P50/COLD_P99[DB,SIZE,KIND].
declare -A COLD_P50 COLD_P99
COLD_KINDS=()
cold_pages() {
  local db=$1 size=$2 data=$3 out=$4 dsn=${5:-} f=$WORK/cold-$1-$2.txt
  local pgflag=()
  [ -n "$dsn" ] && pgflag=(--pg "$dsn")
  log "$db: never-viewed pages, $size articles (bench/cold)"
  "$BIN/cold" --bin "$BIN/newsdesk" --data "$data" --cold "$out/cold.txt" "${pgflag[@]}" --n "$COLD_N" --rounds 3 >"$f" 2>"$WORK/cold-$db-$size.log" ||
    { cat "$WORK/cold-$db-$size.log" >&2; echo "bench/cold failed on $db (log above)" >"$f"; return; }
  local name p50 p99
  # The first table: | kind | p50 | p99 | max | paths
  while IFS='|' read -r name p50 p99; do
    COLD_P50[$db,$size,$name]=$p50; COLD_P99[$db,$size,$name]=$p99
    [[ " ${COLD_KINDS[*]} " == *" ${name// /_} "* ]] || COLD_KINDS+=("${name// /_}")
  done < <(awk -F'|' '/^\| target/ {exit} NF >= 6 && $3 ~ /^ *[0-9.]+ *$/ && $4 ~ /^ *[0-9.]+ *$/ {gsub(/^ +| +$/, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $4); print $2 "|" $3 "|" $4}' "$f")
  local k
  for k in "${COLD_KINDS[@]}"; do
    k=${k//_/ }
    [ -n "${COLD_P99[$db,$size,$k]:-}" ] || continue
    if [ "$db" = sqlite ]; then
      tgt "never-viewed $k p99 < 5 ms, sqlite, $size articles" "${COLD_P99[$db,$size,$k]} ms" "$(lt "${COLD_P99[$db,$size,$k]}" 5)"
    else
      tgt "never-viewed $k p50 < 5 ms, postgres, $size articles" "${COLD_P50[$db,$size,$k]} ms" "$(lt "${COLD_P50[$db,$size,$k]}" 5)"
    fi
  done
}

# start_nginx DB PAGE_URL: nginx (from Debian's packages) on a free port
# serving the page's identity, gzip and brotli bytes as newsdesk sends
# them, at /identity, /gzip and /br; sets NGINX_PID and NGINX_PORT.
start_nginx() {
  local db=$1 page=$2 dir=$WORK/nginx-$1
  mkdir -p "$dir/root"
  curl -s -o "$dir/root/identity" "$page"
  curl -s -H 'Accept-Encoding: gzip' -o "$dir/root/gzip" "$page"
  curl -s -H 'Accept-Encoding: br' -o "$dir/root/br" "$page"
  # nginx's workers run as an unprivileged user: let them read the files
  # (the work directory is private to us otherwise).
  chmod o+x "$WORK"; chmod -R o+rX "$dir"
  NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$dir/nginx.conf" <<NGINXCONF
daemon off;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type "text/html; charset=utf-8";
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $dir/root;
    location = /gzip { add_header Content-Encoding gzip; add_header Vary Accept-Encoding; }
    location = /br { add_header Content-Encoding br; add_header Vary Accept-Encoding; }
  }
}
NGINXCONF
  "$NGINX" -c "$dir/nginx.conf" -p "$dir" >"$dir/out.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  local i
  for i in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/identity" && return; sleep 0.1; done
  log "nginx did not start:"; cat "$dir/out.log" "$dir/error.log" >&2; exit 1
}

# probe METHOD URL [curl args]: prints the status code.
probe() {
  local m=$1 u=$2; shift 2
  curl -s -o /dev/null -w '%{http_code}' -X "$m" "$@" "$u" || echo 000
}

# ---------------------------------------------------------------------------
# one database: corpus, start, every target

bench_db() {
  local db=$1
  make_corpus "$db" "$ARTICLES" "$COMMENTS" ""
  local data=$C_DATA out=$C_OUT dsn=$C_DSN
  local dbflag=()
  [ -n "$dsn" ] && dbflag=(--db "$dsn")
  if [ -f "$WORK/corpus-$db.log" ]; then
    grep -c '^corpus: comments' "$WORK/corpus-$db.log" >/dev/null && COMMENT_NOTE=$(grep '^corpus: comments' "$WORK/corpus-$db.log" | tail -1 | sed 's/^corpus: //')
  else
    COMMENT_NOTE="$COMMENTS approved comments (in the reused corpus)"
  fi

  local article section id
  article=$(cat "$out/article.txt"); section=$(cat "$out/section.txt"); id=$(cat "$out/id.txt")

  # Error reports are benchmarked as stored writes: their flood limits off.
  local limits=()
  "$BIN/newsdesk" serve -h 2>&1 | grep -c -- '-report-per-ip' >/dev/null && limits=(--report-per-ip -1 --report-per-article -1)
  log "$db: starting newsdesk"
  start_server "newsdesk-$db" "$BIN/newsdesk" serve --data "$data" "${dbflag[@]}" --addr 127.0.0.1:0 --no-demo --trust-proxy "${limits[@]}"
  local pid=$SERVER_PID url=$SERVER_URL
  TTFB[$db]=$SERVER_TTFB

  # The bare Go server gets the exact bytes of the article page.
  curl -s -o "$WORK/page-$db.html" "$url$article"
  PAGE_BYTES=$(wc -c <"$WORK/page-$db.html")
  log "static: starting the bare Go server with the article page ($PAGE_BYTES bytes)"
  start_server "static-$db" "$BIN/static" --file "$WORK/page-$db.html" --addr 127.0.0.1:0
  local spid=$SERVER_PID surl=$SERVER_URL
  # A second one also sends the headers newsdesk sends with that page
  # (CSP, ETag, Cache-Control, Vary, ...), to tell header weight from code.
  local hargs=() line
  while IFS= read -r line; do
    case "$line" in ""|HTTP/*|Date:*|Content-Length:*|Content-Type:*) ;; *) hargs+=(--header "$line") ;; esac
  done < <(curl -s -D - -o /dev/null "$url$article" | tr -d '\r')
  start_server "static-h-$db" "$BIN/static" --file "$WORK/page-$db.html" --addr 127.0.0.1:0 "${hargs[@]}"
  local hpid=$SERVER_PID hurl=$SERVER_URL


  curl -s -o /dev/null "$url$article"; curl -s -o /dev/null "$url/"; curl -s -o /dev/null "$url$section"
  log "$db: cached article page against the bare Go server ($ROUNDS rounds each)"
  compare "article page (identity)" "newsdesk $db" "$surl$article" "$url$article" "$hurl$article"
  tgt "cached article ≥ 0.9× the bare Go server sending the same headers, $db" "$(ratio "$CMP_N" "$CMP_H")×" \
    "$(awk -v r="$(ratio "$CMP_N" "$CMP_H")" 'BEGIN {if (r + 0 >= 0.9) print "met"; else print "NOT met"}')"
  stop_server "$spid"; stop_server "$hpid"
  log "$db: the other targets"
  local wal="$data/newsdesk.db-wal" before="" after="" reqs0=$REQS
  [ "$db" = sqlite ] && before=$(stat -c '%s' "$wal" 2>/dev/null || echo 0)
  if [ -n "$NGINX" ]; then
    # nginx sends the same bytes from files, each encoding newsdesk sends:
    # the limit for one page on this machine, alternating with newsdesk.
    start_nginx "$db" "$url$article"
    pair "article page (identity)" "nginx" "http://127.0.0.1:$NGINX_PORT/identity" "newsdesk $db" "$url$article"
    tgt "cached article, identity, to nginx serving the same file (the limit), $db" "${PAIR_RATIO}×" "(no target)"
    pair "article page (gzip)" "nginx" "http://127.0.0.1:$NGINX_PORT/gzip" "newsdesk $db" "$url$article" -H "Accept-Encoding: gzip"
    tgt "cached article, gzip, to nginx serving the same file (the limit), $db" "${PAIR_RATIO}×" "(no target)"
    pair "article page (brotli)" "nginx" "http://127.0.0.1:$NGINX_PORT/br" "newsdesk $db" "$url$article" -H "Accept-Encoding: br"
    tgt "cached article, brotli, to nginx serving the same file (the limit), $db" "${PAIR_RATIO}×" "(no target)"
    stop_server "$NGINX_PID"
  else
    na "article page (identity)" "nginx" "not installed: skipped"
    run_wrk "article page (gzip)" "newsdesk $db" "$url$article" -H "Accept-Encoding: gzip"
  fi
  run_wrk "home page" "newsdesk $db" "$url/"
  run_wrk "section page" "newsdesk $db" "$url$section"

  local feed=""
  for p in /feed.xml /rss.xml /atom.xml /feed /feeds/all.xml /corrections/feed /comments/feed; do
    if [ "$(probe GET "$url$p")" = 200 ]; then feed=$p; break; fi
  done
  if [ -n "$feed" ]; then run_wrk "feed $feed" "newsdesk $db" "$url$feed"; else na "feed" "newsdesk $db" "no feed route on this build"; fi

  local rss_cached
  rss_cached=$(peak_rss_mb "$pid")
  # Cache misses: distinct never-viewed article pages. One connection
  # measures the latency of a miss; fifty measure throughput.
  local missdur=$(( DURATION < 5 ? DURATION : 5 ))
  local saved_c=$CONNS saved_t=$THREADS saved_d=$DURATION
  split -n r/2 "$out/cold.txt" "$out/cold-part."
  CONNS=1; THREADS=1; DURATION=$missdur
  COLD_FILE=$out/cold-part.aa WRK_THREADS=1 run_wrk "cache miss, 1 connection" "newsdesk $db" "$url/" -s bench/cold.lua
  CONNS=$saved_c; THREADS=$saved_t
  COLD_FILE=$out/cold-part.ab WRK_THREADS=$THREADS run_wrk "cache miss, $CONNS connections" "newsdesk $db" "$url/" -s bench/cold.lua
  DURATION=$saved_d

  local rss_miss
  rss_miss=$(peak_rss_mb "$pid")
  # Searches last among the GETs: an uncached search on a large archive
  # keeps the server busy after wrk stops, which would spoil the misses.
  # (Uncached searches run below, on a server with the page cache off.)
  if [ "$(probe GET "$url/search?q=harbour")" = 200 ]; then
    run_wrk "search ?q=harbour (cached)" "newsdesk $db" "$url/search?q=harbour"
  else
    na "search" "newsdesk $db" "no /search on this build"
  fi

  if [ "$db" = sqlite ]; then
    after=$(stat -c '%s' "$wal" 2>/dev/null || echo 0)
    WRITES[$db]="the WAL file grew $(( after - before )) bytes over $(( REQS - reqs0 )) GET requests (page views are counted in memory and written in batches)"
  fi

  # Reader POSTs (rate limits apply: the status counts say how many got through).
  printf '{"name":"Bench Reader","email":"reader@example.com","body":"A comment from the benchmark."}' >"$WORK/comment.json"
  local cs
  cs=$(probe POST "$url/api/v1/articles/$id/comments" -H 'Content-Type: application/json' --data @"$WORK/comment.json")
  if [ "$cs" = 404 ] || [ "$cs" = 405 ] || [ "$cs" = 000 ]; then
    na "comment post" "newsdesk $db" "no comment endpoint on this build ($cs)"
  else
    BODY_FILE=$WORK/comment.json run_wrk "comment post (flood limits on)" "newsdesk $db" "$url/api/v1/articles/$id/comments" -s bench/post.lua
  fi
  cp "$out/report.json" "$WORK/report.json" 2>/dev/null || printf '{"article_id":%s}' "$id" >"$WORK/report.json"
  cs=$(probe POST "$url/api/v1/error-reports" -H 'Content-Type: application/json' --data @"$WORK/report.json")
  if [ "$cs" = 404 ] || [ "$cs" = 405 ] || [ "$cs" = 000 ]; then
    na "error-report post" "newsdesk $db" "no error-report endpoint on this build ($cs)"
  else
    BODY_FILE=$WORK/report.json run_wrk "error-report post (limits off)" "newsdesk $db" "$url/api/v1/error-reports" -s bench/post.lua
  fi

  RSS[$db]="$rss_cached MB after the cached-page runs, $rss_miss MB after the cache-miss runs, $(peak_rss_mb "$pid") MB at the end (after the POST floods)"
  stop_server "$pid"

  if [ "$STORM" = 1 ]; then
    log "$db: crawler storm and peak memory (bench/storm, ${DURATION} s a phase)"
    local pgflag=()
    [ -n "$dsn" ] && pgflag=(--pg "$dsn")
    "$BIN/storm" --bin "$BIN/newsdesk" --data "$data" "${pgflag[@]}" --out "$out" --duration "${DURATION}s" \
      --script bench/storm/hot.lua >"$WORK/storm-$db.txt" 2>"$WORK/storm-$db.log" ||
      { cat "$WORK/storm-$db.log" >&2; echo "bench/storm failed on $db (log above)" >"$WORK/storm-$db.txt"; }
  fi

  uncached "$db" "$ARTICLES" "$data" "$dsn" "$out" "$article"
  cold_pages "$db" "$ARTICLES" "$data" "$out" "$dsn"
}

# uncached DB SIZE DATA DSN OUT [ARTICLE]: newsdesk with the page cache off
# (--cache-mb 0): the article page for scale, a search on 50 connections
# (throughput), then every search class on one connection (latency).
uncached() {
  local db=$1 size=$2 data=$3 dsn=$4 out=$5 article=${6:-}
  local dbflag=()
  [ -n "$dsn" ] && dbflag=(--db "$dsn")
  log "$db: page cache off (--cache-mb 0): searches and, for scale, the article page ($size articles)"
  start_server "newsdesk-nocache-$db-$size" "$BIN/newsdesk" serve --data "$data" "${dbflag[@]}" --addr 127.0.0.1:0 --no-demo --trust-proxy --cache-mb 0
  if [ -n "$article" ]; then
    run_wrk "article page, cache off" "newsdesk $db" "$SERVER_URL$article"
    # Every request is a search: 50 readers' addresses on 50 connections.
    PATH_BASE="/search?q=harbour" run_wrk "search ?q=harbour (uncached)" "newsdesk $db" "$SERVER_URL/" -s bench/distinct.lua
  fi
  search_classes "$db" "$size" "$SERVER_URL" "$out/queries.txt"
  stop_server "$SERVER_PID"
}

# flat DB DSN: the same never-viewed pages and searches on a corpus of
# FLAT articles, to show the cost does not grow with the archive.
flat() {
  local db=$1
  log "$db: a $FLAT-article corpus, to compare"
  make_corpus "$db" "$FLAT" 20000 -flat
  local data=$C_DATA out=$C_OUT dsn=$C_DSN
  uncached "$db" "$FLAT" "$data" "$dsn" "$out"
  cold_pages "$db" "$FLAT" "$data" "$out" "$dsn"
  local k a b class
  for k in "${COLD_KINDS[@]}"; do
    k=${k//_/ }
    if [ "$db" = sqlite ]; then a=${COLD_P99[$db,$ARTICLES,$k]:-}; b=${COLD_P99[$db,$FLAT,$k]:-}; else a=${COLD_P50[$db,$ARTICLES,$k]:-}; b=${COLD_P50[$db,$FLAT,$k]:-}; fi
    [ -n "$a" ] && [ -n "$b" ] || continue
    tgt "never-viewed $k, $ARTICLES vs $FLAT articles, $db ($([ "$db" = sqlite ] && echo p99 || echo p50)): grows < 2×" "$(ratio "$a" "$b")×" "$(lt "$(ratio "$a" "$b")" 2)"
  done
  while IFS= read -r class; do
    a=${SEARCH_P95[$db,$ARTICLES,$class]:-}; b=${SEARCH_P95[$db,$FLAT,$class]:-}
    [ -n "$a" ] && [ -n "$b" ] || continue
    tgt "search $class, $ARTICLES vs $FLAT articles, $db (p95): grows < 2×" "$(ratio "$a" "$b")×" "$(lt "$(ratio "$a" "$b")" 2)"
  done < <(cut -f1 "$out/queries.txt" 2>/dev/null | awk '!seen[$0]++')
}

# A corpus of 100,000 or more is also compared with one of 10,000.
if [ -z "$FLAT" ]; then FLAT=0; [ "$ARTICLES" -ge 100000 ] && FLAT=10000; fi
COLD_N=${COLD_N:-200}
declare -A TTFB RSS WRITES
[ -n "$CORPUS_DIR" ] && mkdir -p "$CORPUS_DIR" && CORPUS_DIR=$(cd "$CORPUS_DIR" && pwd)
bench_db sqlite
[ "$FLAT" -gt 0 ] && flat sqlite
if [ -n "$PG" ]; then
  bench_db postgres
  [ "$FLAT" -gt 0 ] && flat postgres
fi

# ---------------------------------------------------------------------------
# the table

cores=$(nproc)
model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "newsdesk benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(go env GOVERSION), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "machine: $cores cores ($model), load average at the end $load; wrk and the servers share these cores"
echo "corpus: $ARTICLES generated articles + the demo; comments: $COMMENT_NOTE"
for k in "${!CORPUS_NOTE[@]}"; do echo "corpus, $k: ${CORPUS_NOTE[$k]}"; done | sort
echo "wrk: $THREADS threads, $CONNS connections, ${DURATION} s per run (cache-miss runs: 1 connection, then $CONNS, at most 5 s each); loopback"
echo "ratios (×) are to the bare Go server's median in the same database's block"
echo "article page: $PAGE_BYTES bytes identity"
echo
printf '| %-30s | %-17s | %8s | %8s | %8s | %9s | %9s | %s\n' target server "req/s" "p50 ms" "p99 ms" "req/s ×" "p99 ×" notes
printf '|%s|%s|%s|%s|%s|%s|%s|%s\n' "--------------------------------" "-------------------" "---------:" "---------:" "---------:" "----------:" "----------:" "------"
for row in "${ROWS[@]}"; do
  IFS='|' read -r label server rps p50 p99 notes <<<"$row"
  ratio="" pratio=""
  if [ "$server" = "bare Go" ]; then STATIC_RPS=$rps; STATIC_P99=$p99; fi
  if [[ "$rps" =~ ^[0-9]+$ ]] && [ -n "$STATIC_RPS" ] && [ "$STATIC_RPS" -gt 0 ]; then
    ratio=$(awk -v a="$rps" -v b="$STATIC_RPS" 'BEGIN {printf "%.2f", a/b}')
    pratio=$(awk -v a="$p99" -v b="$STATIC_P99" 'BEGIN {if (b > 0) printf "%.2f", a/b}')
  fi
  printf '| %-30s | %-17s | %8s | %8s | %8s | %9s | %9s | %s\n' "$label" "$server" "$rps" "$p50" "$p99" "$ratio" "$pratio" "$notes"
done
echo
for db in "${!TTFB[@]}"; do
  echo "newsdesk $db: start-up to first byte ${TTFB[$db]} ms"
  echo "newsdesk $db: peak RSS (VmHWM): ${RSS[$db]:-?}"
  if [ -n "${WRITES[$db]:-}" ]; then echo "newsdesk $db: database writes during the GET runs: ${WRITES[$db]}"; fi
done
for f in "$WORK"/cold-*.txt; do
  [ -f "$f" ] && { echo; cat "$f"; }
done
for db in sqlite postgres; do
  if [ -f "$WORK/storm-$db.txt" ]; then
    echo; cat "$WORK/storm-$db.txt"
    # its targets (readers' p99 in the storm, peak memory) join the list
    while IFS='|' read -r _ t f m _; do
      tgt "$(echo "$t" | sed 's/^ *//; s/ *$//'), $db" "$(echo "$f" | sed 's/^ *//; s/ *$//')" "$(echo "$m" | sed 's/^ *//; s/ *$//')"
    done < <(grep -E '^\| (readers|peak RSS)' "$WORK/storm-$db.txt")
  fi
done

echo
echo "targets of issue 19 ($ARTICLES articles$([ "$FLAT" -gt 0 ] && echo ", compared with $FLAT"))"
printf '| %-100s | %10s | %s\n' target figure "met?"
printf '|%s|%s|------\n' "$(printf '%.0s-' $(seq 102))" "------------"
for row in "${TGTS[@]}"; do
  IFS='|' read -r t f m <<<"$row"
  printf '| %-100s | %10s | %s\n' "$t" "$f" "$m"
done
