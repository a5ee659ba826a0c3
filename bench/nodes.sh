#!/bin/sh
# Three newsdesk nodes on one PostgreSQL behind Varnish (the shipped VCL,
# purges by key), against nginx serving the same bytes from a file, in the
# same run (docs/DEPLOYMENT.md; issue 18).
#
#   PG='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' bench/nodes.sh [rounds] [seconds]
#
# Defaults: 3 rounds of 10 s. Each round drives the home page through
# Varnish, then the same bytes from nginx, with wrk (2 threads, 32
# connections); the medians and the ratio follow. Then one more Varnish
# run with publishes during the load: 10 stories posted through node A's
# API one after another, each timed, and the time until its headline is
# on the home page through Varnish (freshness). Stops what it started, by
# PID.
set -eu
ROUNDS=${1:-3}
SECS=${2:-10}
: "${PG:?set PG to a PostgreSQL DSN whose server may get a scratch database}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/newsdesk-nodes.XXXXXX)
chmod 755 "$WORK"
PIDS=""
DSN=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	sleep 1
	[ -n "$DSN" ] && "$WORK/pgdb" drop "$DSN" >/dev/null 2>&1 || true
	rm -rf "$WORK"
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
/usr/sbin/varnishd -F -a 127.0.0.1:$VP -T 127.0.0.1:$(port) -f "$WORK/newsdesk.vcl" -n "$WORK/varnish" -s malloc,256m >"$WORK/varnish.log" 2>&1 &
PIDS="$PIDS $!"
for i in $(seq 1 100); do curl -fs "http://127.0.0.1:$VP/" >/dev/null 2>&1 && break; sleep 0.2; done
sleep 3 # the probes see every node healthy
V="http://127.0.0.1:$VP"

# nginx serving the bytes Varnish serves for the home page to a reader
# whose browser takes gzip (as every browser does; both are driven so).
mkdir -p "$WORK/static"
curl -fs -H 'Accept-Encoding: gzip' "$V/" >"$WORK/static/home.html"
NP=$(port)
cat >"$WORK/nginx.conf" <<NGINX
daemon off;
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	server {
		listen 127.0.0.1:$NP;
		root $WORK/static;
		location = / { try_files /home.html =404; default_type "text/html; charset=utf-8"; add_header Content-Encoding gzip; add_header Vary Accept-Encoding; }
	}
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK" &
PIDS="$PIDS $!"
for i in $(seq 1 50); do curl -fs "http://127.0.0.1:$NP/" >/dev/null 2>&1 && break; sleep 0.1; done
echo "home page: $(wc -c <"$WORK/static/home.html") bytes gzipped; nodes on ports$NODES; Varnish :$VP; nginx :$NP"

: >"$WORK/v.rps"; : >"$WORK/v.p99"; : >"$WORK/n.rps"; : >"$WORK/n.p99"
for r in $(seq 1 "$ROUNDS"); do
	wrk -t2 -c32 -d"${SECS}s" --latency -H 'Accept-Encoding: gzip' "$V/" >"$WORK/w"; rps <"$WORK/w" >>"$WORK/v.rps"; p99 <"$WORK/w" >>"$WORK/v.p99"
	wrk -t2 -c32 -d"${SECS}s" --latency -H 'Accept-Encoding: gzip' "http://127.0.0.1:$NP/" >"$WORK/w"; rps <"$WORK/w" >>"$WORK/n.rps"; p99 <"$WORK/w" >>"$WORK/n.p99"
	echo "round $r: varnish $(tail -1 "$WORK/v.rps") req/s p99 $(tail -1 "$WORK/v.p99") ms; nginx $(tail -1 "$WORK/n.rps") req/s p99 $(tail -1 "$WORK/n.p99") ms"
done
VR=$(median <"$WORK/v.rps"); NR=$(median <"$WORK/n.rps")
echo "hot home page, medians of $ROUNDS: three nodes behind Varnish $VR req/s (p99 $(median <"$WORK/v.p99") ms); nginx $NR req/s (p99 $(median <"$WORK/n.p99") ms); ratio $(awk -v a="$VR" -v b="$NR" 'BEGIN {printf "%.2f", a/b}')"

# Publishes during load: freshness through Varnish.
wrk -t2 -c32 -d"$((SECS + 20))s" --latency -H 'Accept-Encoding: gzip' "$V/" >"$WORK/wl" &
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
