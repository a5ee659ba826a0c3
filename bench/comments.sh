#!/bin/sh
# Comments accepted per second on loopback, and the time to serve an
# article page with 500 approved comments, each as a ratio to a static page
# served in the same run (docs/PERFORMANCE.md, "Feature measurements").
#
#   bench/comments.sh [rounds] [seconds]                (SQLite)
#   PG='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' bench/comments.sh   (PostgreSQL too)
#
# Defaults: 3 rounds of 10 s each. For each database it prepares a fresh
# store (bench/commentsetup: no flood pause, comments published at once,
# one article with 500 approved comments), starts newsdesk and a standard-
# library file server holding the exact bytes of that article page, and
# drives them with wrk (2 threads, 8 connections) on 127.0.0.1:
#   - POST /api/v1/articles/{id}/comments  (each one a validated, rendered,
#     stored and counted comment that invalidates the article's cached pages)
#   - GET the 500-comment page from the page cache, and rendered afresh
#     (a cookie in the cache's bypass list: the cost of a cache miss)
#   - GET the same bytes from the static file server.
# Prints each round and the medians. Stops what it started, by PID.
set -eu
ROUNDS=${1:-3}
SECS=${2:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/newsdesk-cbench.XXXXXX)
PIDS=""
PGDSN=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	[ -n "$PGDSN" ] && "$WORK/pgdb" drop "$PGDSN" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }

cd "$ROOT"
go build -o "$WORK/newsdesk" ./cmd/newsdesk
go build -o "$WORK/staticserve" ./bench/staticserve
go build -o "$WORK/commentsetup" ./bench/commentsetup
go build -o "$WORK/pgdb" ./bench/pgdb

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rps() { awk '/Requests\/sec/ {print $2}'; }
p50() { awk '/^ +50%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) cores; other engineers' builds may be running (load $(cut -d' ' -f1-3 /proc/loadavg))"

bench() { # name dsn-or-empty
	NAME=$1; DB=$2; DATA="$WORK/data-$NAME"
	set -- --data "$DATA"
	[ -n "$DB" ] && set -- --data "$DATA" --db "$DB"
	OUT=$("$WORK/commentsetup" "$@" --comments 500)
	AID=$(echo "$OUT" | sed -n 1p); PAGE=$(echo "$OUT" | sed -n 2p)
	ND=$(port); ST=$(port)
	"$WORK/newsdesk" serve --addr 127.0.0.1:$ND --no-demo "$@" >"$WORK/newsdesk-$NAME.log" 2>&1 &
	NDPID=$!; PIDS="$PIDS $NDPID"
	for i in $(seq 1 300); do curl -fs "http://127.0.0.1:$ND/robots.txt" >/dev/null 2>&1 && break; sleep 0.1; done
	mkdir -p "$WORK/static-$NAME"
	curl -fs "http://127.0.0.1:$ND$PAGE" >"$WORK/static-$NAME/page.html"
	N=$(grep -c 'class="comment-body"' "$WORK/static-$NAME/page.html" || true)
	[ "$N" = 500 ] || { echo "$NAME: the page shows $N comments, not 500"; exit 1; }
	"$WORK/staticserve" -addr 127.0.0.1:$ST -dir "$WORK/static-$NAME" &
	STPID=$!; PIDS="$PIDS $STPID"
	sleep 0.3
	cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"name":"Bench Reader","email":"bench@example.org","website":"https://bench.example","body":"A comment from the benchmark.\n\nWith a second paragraph and a link: https://tides.example/north","parent_id":0}]]
LUA
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-d '{"name":"Bench","email":"b@example.org","body":"check"}' "http://127.0.0.1:$ND/api/v1/articles/$AID/comments")
	[ "$code" = 201 ] || { echo "$NAME: a test comment got $code, not 201"; cat "$WORK/newsdesk-$NAME.log"; exit 1; }
	KB=$(($(wc -c <"$WORK/static-$NAME/page.html") / 1024))
	echo "== $NAME: article page with 500 comments, $KB KiB"
	: >"$WORK/c"; : >"$WORK/s"; : >"$WORK/h"; : >"$WORK/m"; : >"$WORK/hl"; : >"$WORK/ml"; : >"$WORK/sl"
	for r in $(seq 1 "$ROUNDS"); do
		wrk -t2 -c8 -d${SECS}s -s "$WORK/post.lua" "http://127.0.0.1:$ND/api/v1/articles/$AID/comments" >"$WORK/w.txt"
		if grep -q 'Non-2xx' "$WORK/w.txt"; then echo "round $r: some comments were refused:"; cat "$WORK/w.txt"; exit 1; fi
		c=$(rps <"$WORK/w.txt"); echo "$c" >>"$WORK/c"
		wrk -t2 -c8 -d${SECS}s --latency "http://127.0.0.1:$ST/page.html" >"$WORK/w.txt"
		s=$(rps <"$WORK/w.txt"); echo "$s" >>"$WORK/s"; p50 <"$WORK/w.txt" >>"$WORK/sl"
		wrk -t2 -c8 -d${SECS}s --latency "http://127.0.0.1:$ND$PAGE" >"$WORK/w.txt"
		h=$(rps <"$WORK/w.txt"); echo "$h" >>"$WORK/h"; p50 <"$WORK/w.txt" >>"$WORK/hl"
		wrk -t2 -c8 -d${SECS}s --latency -H 'Cookie: nd_comments=x' "http://127.0.0.1:$ND$PAGE" >"$WORK/w.txt"
		m=$(rps <"$WORK/w.txt"); echo "$m" >>"$WORK/m"; p50 <"$WORK/w.txt" >>"$WORK/ml"
		echo "round $r: comments $c/s; page cached $h/s, rendered $m/s; static page $s/s"
	done
	C=$(median <"$WORK/c"); S=$(median <"$WORK/s"); H=$(median <"$WORK/h"); M=$(median <"$WORK/m")
	SL=$(median <"$WORK/sl"); HL=$(median <"$WORK/hl"); ML=$(median <"$WORK/ml")
	python3 - "$NAME" "$C" "$S" "$H" "$M" "$SL" "$HL" "$ML" <<'PY'
import sys
name, c, s, h, m, sl, hl, ml = sys.argv[1], *map(float, sys.argv[2:])
print(f"median {name}: comments accepted {c:.0f}/s = {c/s:.3f} x static page ({s:.0f}/s)")
print(f"median {name}: 500-comment page from the cache {h:.0f}/s = {h/s:.3f} x static, p50 {hl:.2f} ms (static {sl:.2f} ms)")
print(f"median {name}: 500-comment page rendered afresh {m:.0f}/s = {m/s:.3f} x static, p50 {ml:.2f} ms")
PY
	kill $NDPID $STPID 2>/dev/null || true
	wait $NDPID $STPID 2>/dev/null || true
}

bench sqlite ""
if [ -n "${PG:-}" ]; then
	PGDSN=$("$WORK/pgdb" create "$PG")
	bench postgres "$PGDSN"
fi
