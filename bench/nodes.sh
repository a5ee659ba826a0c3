#!/bin/sh
# Three newsdesk nodes on one PostgreSQL behind Varnish (the shipped VCL,
# purges by key), against nginx serving the same bytes from a file, in the
# same run (docs/DEPLOYMENT.md; issue 18).
#
#   PG='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' bench/nodes.sh [rounds] [seconds]
#
# Defaults: 3 rounds of 10 s (use an odd number: medians). Each round
# drives the home page through Varnish, then the same bytes from nginx,
# with wrk (WRK_THREADS=2, WRK_CONNS=32 for both), once without
# Accept-Encoding (the plain page) and once with gzip; the medians, the
# ratio for each and whether it reaches 0.9 follow, with each server's
# CPU time per request (user + system, its processes' own counters:
# steadier than req/s on a shared machine), its context switches per
# request, and the load average during the rounds. Then one more Varnish
# run with publishes during the load: 10 stories posted through node A's
# API one after another, each timed, and the time until its headline is
# on the home page through Varnish (freshness). Stops what it started, by
# PID.
set -eu
ROUNDS=${1:-3}
SECS=${2:-10}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNS=${WRK_CONNS:-32}
# Varnish's run-time parameters: the storage, the thread pools, and its
# shared-memory log without the records it writes for every client
# request (as nginx runs with access_log off here; the fetches from the
# nodes are still logged). VARNISH_PARAMS='-s malloc,256m' measures
# Varnish with its full log.
VSL_MASK=-ReqStart,-ReqMethod,-ReqURL,-ReqProtocol,-ReqHeader,-ReqUnset,-VCL_call,-VCL_return,-VCL_use,-Hit,-RespProtocol,-RespStatus,-RespReason,-RespHeader,-RespUnset,-Filters,-ReqAcct,-Timestamp,-Link,-Begin,-End
VARNISH_PARAMS=${VARNISH_PARAMS:--s malloc,256m -p thread_pools=2 -p thread_pool_min=50 -p vsl_mask=$VSL_MASK}
: "${PG:?set PG to a PostgreSQL DSN whose server may get a scratch database}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/newsdesk-nodes.XXXXXX)
chmod 755 "$WORK"
PIDS=""
DSN=""
VWORK=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	sleep 1
	[ -n "$DSN" ] && "$WORK/pgdb" drop "$DSN" >/dev/null 2>&1 || true
	rm -rf "$WORK"
	[ -n "$VWORK" ] && rm -rf "$VWORK"
}
trap cleanup EXIT INT TERM
for c in wrk nginx varnishd; do command -v $c >/dev/null || [ -x /usr/sbin/$c ] || { echo "$c is not installed"; exit 1; }; done

cd "$ROOT"
go build -o "$WORK/newsdesk" ./cmd/newsdesk
go build -o "$WORK/pgdb" ./bench/pgdb
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '/^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now_ms() { date +%s%3N; }
# cpu_ticks PID: the CPU time (user + system, clock ticks) of PID and its
# children processes (Varnish's cache process, nginx's workers).
cpu_ticks() { for p in $1 $(ps -o pid= --ppid "$1"); do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))
# ctx_switches PID: the context switches (voluntary and not) of every
# thread of PID and its children: Varnish gives each connection a thread
# that sleeps between requests, nginx's workers wait on epoll for many.
ctx_switches() { for p in $1 $(ps -o pid= --ppid "$1"); do cat /proc/"$p"/task/*/status 2>/dev/null; done | awk '/^(non)?voluntary_ctxt_switches/ {s += $2} END {print s + 0}'; }
# drive NAME PID URL HEADER: one wrk run, its req/s, p99, CPU µs and
# context switches per request appended to NAME's files.
drive() {
	c0=$(cpu_ticks "$2"); s0=$(ctx_switches "$2")
	$WRK -H "$4" "$3" >"$WORK/w"
	c1=$(cpu_ticks "$2"); s1=$(ctx_switches "$2")
	rps <"$WORK/w" >>"$WORK/$1.rps"; p99 <"$WORK/w" >>"$WORK/$1.p99"
	awk -v t=$((c1 - c0)) -v us="$TICK_US" '/ requests in / {printf "%.1f\n", t * us / $1}' "$WORK/w" >>"$WORK/$1.cpu"
	awk -v n=$((s1 - s0)) '/ requests in / {printf "%.2f\n", n / $1}' "$WORK/w" >>"$WORK/$1.csw"
}
echo "machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

DSN=$("$WORK/pgdb" create "$PG")
VP=$(port)
NODES=""
for n in a b c; do
	P=$(port)
	DEMO=--no-demo
	[ "$n" = a ] && DEMO=
	"$WORK/newsdesk" serve --addr 127.0.0.1:$P --data "$WORK/data-$n" --db "$DSN" $DEMO --trust-proxy \
		--purge-url "http://127.0.0.1:$VP/" >"$WORK/node-$n.log" 2>&1 &
	PIDS="$PIDS $!"
	for i in $(seq 1 600); do curl -fs "http://127.0.0.1:$P/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
	NODES="$NODES $P"
done
A=$(echo $NODES | cut -d' ' -f1)
TOKEN=$("$WORK/newsdesk" token create --email admin@example.com --db "$DSN" --data "$WORK/data-a" | tail -1 | awk '{print $NF}')

# Varnish with the shipped VCL, one backend per node.
awk -v nodes="$NODES" '
	/^backend node1 \{/ { skip=1; n=split(nodes, p, " "); for (i=1;i<=n;i++) printf "backend node%d {\n    .host = \"127.0.0.1\";\n    .port = \"%s\";\n    .probe = ready;\n}\n", i, p[i]; next }
	skip && /^\}/ { skip=0; next }
	skip { next }
	/nodes.add_backend\(node1\);/ { n=split(nodes, p, " "); for (i=1;i<=n;i++) printf "    nodes.add_backend(node%d);\n", i; next }
	{ print }' deploy/varnish/newsdesk.vcl >"$WORK/newsdesk.vcl"
# Varnish's working directory (its shared-memory log, written for every
# request) on tmpfs, as Varnish advises: on a disk the kernel writes the
# log back to it all the time.
VWORK=$(mktemp -d /dev/shm/newsdesk-varnish.XXXXXX)
chmod 755 "$VWORK"
# shellcheck disable=SC2086 # VARNISH_PARAMS is a list of arguments
/usr/sbin/varnishd -F -a 127.0.0.1:$VP -T 127.0.0.1:$(port) -f "$WORK/newsdesk.vcl" -n "$VWORK" $VARNISH_PARAMS >"$WORK/varnish.log" 2>&1 &
VPID=$!
PIDS="$PIDS $VPID"
for i in $(seq 1 100); do curl -fs "http://127.0.0.1:$VP/" >/dev/null 2>&1 && break; sleep 0.2; done
sleep 3 # the probes see every node healthy
V="http://127.0.0.1:$VP"

# nginx serving the bytes Varnish serves for the home page: the plain
# copy to a reader whose client takes no compression, the gzipped one to
# one that takes gzip (gzip_static picks the file, as Varnish picks its
# copy).
mkdir -p "$WORK/static"
curl -fs "$V/" >"$WORK/static/home.html"
curl -fs -H 'Accept-Encoding: gzip' "$V/" >"$WORK/static/home.html.gz"
NP=$(port)
cat >"$WORK/nginx.conf" <<NGINX
daemon off;
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	gzip_static on;
	gzip_vary on;
	server {
		listen 127.0.0.1:$NP;
		root $WORK/static;
		location = / { try_files /home.html =404; default_type "text/html; charset=utf-8"; }
	}
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK" &
NPID=$!
PIDS="$PIDS $NPID"
for i in $(seq 1 50); do curl -fs "http://127.0.0.1:$NP/" >/dev/null 2>&1 && break; sleep 0.1; done
for f in home.html home.html.gz; do
	h=$([ $f = home.html.gz ] && echo 'Accept-Encoding: gzip' || echo 'X-None: 1')
	curl -fs -H "$h" "http://127.0.0.1:$NP/" >"$WORK/check"
	cmp -s "$WORK/static/$f" "$WORK/check" || { echo "nginx does not serve $f as Varnish does"; exit 1; }
done
echo "home page: $(wc -c <"$WORK/static/home.html") bytes plain, $(wc -c <"$WORK/static/home.html.gz") gzipped; nodes on ports$NODES; Varnish :$VP ($VARNISH_PARAMS); nginx :$NP"

# Alternating rounds: for each encoding, Varnish then nginx, with the same
# wrk threads and connections; the load average is sampled every round.
WRK="wrk -t$WRK_THREADS -c$WRK_CONNS -d${SECS}s --latency"
: >"$WORK/load"
for enc in identity gzip; do for f in rps p99 cpu csw; do : >"$WORK/v.$enc.$f"; : >"$WORK/n.$enc.$f"; done; done
for r in $(seq 1 "$ROUNDS"); do
	for enc in identity gzip; do
		h=$([ $enc = gzip ] && echo 'Accept-Encoding: gzip' || echo 'X-None: 1')
		drive "v.$enc" "$VPID" "$V/" "$h"
		drive "n.$enc" "$NPID" "http://127.0.0.1:$NP/" "$h"
		cut -d' ' -f1 /proc/loadavg >>"$WORK/load"
		echo "round $r, $enc: varnish $(tail -1 "$WORK/v.$enc.rps") req/s p99 $(tail -1 "$WORK/v.$enc.p99") ms $(tail -1 "$WORK/v.$enc.cpu") µs CPU/req $(tail -1 "$WORK/v.$enc.csw") switches/req; nginx $(tail -1 "$WORK/n.$enc.rps") req/s p99 $(tail -1 "$WORK/n.$enc.p99") ms $(tail -1 "$WORK/n.$enc.cpu") µs CPU/req $(tail -1 "$WORK/n.$enc.csw") switches/req; load $(tail -1 "$WORK/load")"
	done
done
for enc in identity gzip; do
	VR=$(median <"$WORK/v.$enc.rps"); NR=$(median <"$WORK/n.$enc.rps")
	VC=$(median <"$WORK/v.$enc.cpu"); NC=$(median <"$WORK/n.$enc.cpu")
	echo "hot home page, $enc, medians of $ROUNDS: three nodes behind Varnish $VR req/s (p99 $(median <"$WORK/v.$enc.p99") ms, $VC µs CPU/req, $(median <"$WORK/v.$enc.csw") context switches/req); nginx $NR req/s (p99 $(median <"$WORK/n.$enc.p99") ms, $NC µs CPU/req, $(median <"$WORK/n.$enc.csw") context switches/req); ratio $(awk -v a="$VR" -v b="$NR" 'BEGIN {r = a/b; printf "%.2f (target 0.9: %s)", r, (r >= 0.9 ? "met" : "not met")}'); CPU per request nginx/Varnish $(awk -v a="$NC" -v b="$VC" 'BEGIN {printf "%.2f", a/b}')"
done
echo "load average (1 min) during the rounds: $(sort -n "$WORK/load" | head -1)-$(sort -n "$WORK/load" | tail -1), median $(median <"$WORK/load") ($(nproc) cores)"

# Publishes during load: freshness through Varnish.
wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$((SECS + 20))s" --latency -H 'Accept-Encoding: gzip' "$V/" >"$WORK/wl" &
WRK=$!
sleep 2
: >"$WORK/post.ms"; : >"$WORK/fresh.ms"
for i in $(seq 1 10); do
	H="Bench story $i $(now_ms)"
	T=$(curl -fs -o /dev/null -w '%{time_total}' -X POST "http://127.0.0.1:$A/api/v1/articles" -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' -d "{\"headline\":\"$H\",\"body\":\"Published during the load.\",\"status\":\"published\"}")
	START=$(now_ms)
	echo "$T" | awk '{printf "%.1f\n", $1*1000}' >>"$WORK/post.ms"
	until curl -fs "$V/" | grep -q "$H"; do
		[ $(( $(now_ms) - START )) -gt 10000 ] && break
		sleep 0.01
	done
	echo $(( $(now_ms) - START )) >>"$WORK/fresh.ms"
	sleep 0.5
done
wait $WRK || true
echo "during the load: home page through Varnish $(rps <"$WORK/wl") req/s p99 $(p99 <"$WORK/wl") ms"
echo "publishes on node A during the load: median $(median <"$WORK/post.ms") ms, slowest (p99 of 10) $(sort -n "$WORK/post.ms" | tail -1) ms"
echo "freshness: headline on the home page through Varnish after median $(median <"$WORK/fresh.ms") ms, slowest $(sort -n "$WORK/fresh.ms" | tail -1) ms (after the publish's answer)"
