#!/bin/sh
# Error reports accepted per second on loopback, with the ratio to static
# files served in the same run (docs/PERFORMANCE.md, "Feature measurements").
#
#   bench/error-reports.sh [rounds] [seconds]     (defaults: 3 rounds of 10 s)
#
# Starts newsdesk on SQLite with the demo content and no rate limits, and
# a standard-library static file server; drives both with wrk (2 threads,
# 8 connections) on 127.0.0.1; prints each round and the medians. Every
# report quotes the same place of one article, so each is a merge: one
# quote check against the article (Markdown parsed) and one write
# transaction. Stops everything it started, by PID, when done.
set -eu
ROUNDS=${1:-3}
SECS=${2:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/newsdesk-bench.XXXXXX)
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

cd "$ROOT"
go build -o "$WORK/newsdesk" ./cmd/newsdesk
go build -o "$WORK/staticserve" ./bench/staticserve

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ND=$(port); ST=$(port)
"$WORK/newsdesk" serve --addr 127.0.0.1:$ND --data "$WORK/data" --report-per-ip -1 --report-per-article -1 \
	--report-digest 0 >"$WORK/newsdesk.log" 2>&1 &
PIDS="$PIDS $!"
for i in $(seq 1 600); do curl -fs "http://127.0.0.1:$ND/robots.txt" >/dev/null 2>&1 && break; sleep 0.2; done

# The article and quote: the first article's headline, which occurs once.
curl -fs "http://127.0.0.1:$ND/api/v1/articles?page=1" >"$WORK/list.json"
BODY=$(python3 - "$WORK/list.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["articles"][0]
print(json.dumps({"article_id": a["id"], "revision": a["revision"], "exact": a["headline"],
                  "suggestion": a["headline"] + "!", "comment": "benchmark"}))
PY
)
cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[$BODY]]
LUA
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$ND/api/v1/error-reports")
[ "$code" = 202 ] || { echo "a test report got $code, not 202"; cat "$WORK/newsdesk.log"; exit 1; }

# The static baseline: newsdesk's own stylesheet, copied to a directory
# served by the standard library's file server.
CSS=$(curl -fs "http://127.0.0.1:$ND/" | grep -o '/assets/site\.[0-9a-f]*\.css' | head -1)
mkdir -p "$WORK/static"
curl -fs "http://127.0.0.1:$ND$CSS" >"$WORK/static/site.css"
"$WORK/staticserve" -addr 127.0.0.1:$ST -dir "$WORK/static" &
PIDS="$PIDS $!"
sleep 0.3

rps() { awk '/Requests\/sec/ {print $2}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$WORK/reports"; : >"$WORK/static.rps"; : >"$WORK/asset.rps"
echo "machine: $(nproc) cores; other builds may be running (load $(cut -d' ' -f1-3 /proc/loadavg))"
for r in $(seq 1 "$ROUNDS"); do
	wrk -t2 -c8 -d${SECS}s -s "$WORK/post.lua" "http://127.0.0.1:$ND/api/v1/error-reports" >"$WORK/w.txt"
	if grep -q 'Non-2xx' "$WORK/w.txt"; then echo "round $r: some reports were refused:"; cat "$WORK/w.txt"; exit 1; fi
	rep=$(rps <"$WORK/w.txt"); echo "$rep" >>"$WORK/reports"
	st=$(wrk -t2 -c8 -d${SECS}s "http://127.0.0.1:$ST/site.css" | rps); echo "$st" >>"$WORK/static.rps"
	as=$(wrk -t2 -c8 -d${SECS}s "http://127.0.0.1:$ND$CSS" | rps); echo "$as" >>"$WORK/asset.rps"
	echo "round $r: reports $rep/s, static file server $st/s, newsdesk asset $as/s"
done
REP=$(median <"$WORK/reports"); STA=$(median <"$WORK/static.rps"); AS=$(median <"$WORK/asset.rps")
COUNT=$(curl -fs "http://127.0.0.1:$ND/api/v1/articles?page=1" >/dev/null; grep -c . "$WORK/reports")
echo "median: reports accepted $REP/s; static file $STA/s; newsdesk's own asset $AS/s"
python3 -c "print('ratio reports/static file: %.3f; reports/asset: %.3f' % ($REP/$STA, $REP/$AS))"
