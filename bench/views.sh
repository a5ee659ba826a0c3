#!/usr/bin/env bash
# bench/views.sh: how many page views newsdesk absorbs per second, on loopback.
#
#   bench/views.sh                       # SQLite, 10 s per wrk run
#   bench/views.sh --pg 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
#   bench/views.sh --duration 5
#
# It builds newsdesk, starts it on an empty database (no demo) with the page
# cache on and views flushed every 2 s, creates one article through the API,
# then drives the article page with wrk three ways: as a browser (every
# request is a counted view), as curl (same page, not counted: the cost of
# counting is the difference) and, for a baseline, the same bytes from the
# standard library's file server (bench/staticserve). It stops newsdesk with
# SIGTERM (the counter writes what is pending on shutdown) and checks that
# the stored views equal the requests wrk completed, and reports how many
# write transactions that took. Every run is bounded; the script stops
# exactly the processes it started and removes its work directory.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=10
CONNS=50
THREADS=2
PG=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --pg) PG=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d /tmp/newsdesk-views.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$PG" ] && [ -n "${DB:-}" ]; then psql "$PG" -qc "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

go build -o "$WORK/newsdesk" ./cmd/newsdesk
go build -o "$WORK/staticserve" ./bench/staticserve

DB=""
if [ -n "$PG" ]; then
  DBNAME="newsdesk_views_$$"
  psql "$PG" -qc "CREATE DATABASE $DBNAME" >/dev/null
  DB=$(echo "$PG" | sed -E "s#/[^/?]+(\?|$)#/$DBNAME\1#")
fi
dbflag=()
[ -n "$DB" ] && dbflag=(--db "$DB")

PORT=$((20000 + RANDOM % 20000))
echo "long enough secret" | "$WORK/newsdesk" user add --data "$WORK/data" "${dbflag[@]}" --email bench@example.com --name Bench --role editor >/dev/null
TOKEN=$("$WORK/newsdesk" token create --data "$WORK/data" "${dbflag[@]}" --email bench@example.com)
"$WORK/newsdesk" serve --addr "127.0.0.1:$PORT" --data "$WORK/data" "${dbflag[@]}" --no-demo --views-flush 2s >"$WORK/serve.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/robots.txt" >/dev/null && break; sleep 0.1; done

URL=$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"headline":"Views benchmark story","standfirst":"A page readers keep opening.","body":"The harbour master spoke to reporters at length about the winter timetable.","status":"published"}' \
  "http://127.0.0.1:$PORT/api/v1/articles" | sed -E 's/.*"url":"([^"]+)".*/\1/')
curl -sf -o "$WORK/page.html" "http://127.0.0.1:$PORT$URL"
mkdir -p "$WORK/static" && cp "$WORK/page.html" "$WORK/static/page.html"
SPORT=$((PORT + 1))
"$WORK/staticserve" --addr "127.0.0.1:$SPORT" --dir "$WORK/static" &
PIDS+=("$!")
sleep 0.3

BROWSER='Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
wrkrun() { # label url user-agent
  local out
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -H "User-Agent: $3" "$2")
  local reqs rps p50 p99
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  printf "%-34s %10s %12s %9s %9s\n" "$1" "$reqs" "$rps" "$p50" "$p99" >&2
  echo "$reqs"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $DURATION s per run, $CONNS connections; db: $([ -n "$PG" ] && echo postgres || echo sqlite)" >&2
printf "%-34s %10s %12s %9s %9s\n" "target" "requests" "req/s" "p50" "p99" >&2
COUNTED=$(wrkrun "article page, browser (counted)" "http://127.0.0.1:$PORT$URL" "$BROWSER")
wrkrun "article page, curl (not counted)" "http://127.0.0.1:$PORT$URL" "curl/8.5.0" >/dev/null
wrkrun "same bytes, Go file server" "http://127.0.0.1:$SPORT/page.html" "$BROWSER" >/dev/null

kill -TERM "$SERVER"
wait "$SERVER" 2>/dev/null || true
if [ -n "$DB" ]; then
  STORED=$(psql "$DB" -Atc "SELECT coalesce(sum(count),0) FROM article_views")
else
  STORED=$(sqlite3 "$WORK/data/newsdesk.db" "SELECT coalesce(sum(count),0) FROM article_views")
fi
# wrk counts the responses it read; requests cut off when its time ran out
# may still have been answered (and counted) by the server: at most one
# per connection.
echo "views stored: $STORED for $COUNTED browser requests wrk completed (written every 2 s and at shutdown)" >&2
if [ "$STORED" -lt "$COUNTED" ] || [ "$STORED" -gt $((COUNTED + CONNS)) ]; then
  echo "MISMATCH: wrk completed $COUNTED browser requests, $STORED views were stored" >&2
  exit 1
fi
