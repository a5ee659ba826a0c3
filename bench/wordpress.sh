#!/bin/sh
# WordPress import at scale: generates an export of N posts (default
# 20,000, each in block markup with a picture, a quote and three threaded
# comments; 60 pictures; a category tree, 200 tags, 10 authors, 5 pages)
# with bench/wpexport, imports it into a fresh SQLite data folder (or the
# PostgreSQL of PG) with `newsdesk import wordpress --uploads`, and prints
# posts per second (wall clock and per CPU second) and the import's peak
# RSS, read by /usr/bin/time. See docs/PERFORMANCE.md and docs/WORDPRESS.md.
#
#   bench/wordpress.sh [posts]
#   PG='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' bench/wordpress.sh 20000
set -eu
POSTS=${1:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/newsdesk-wpbench.XXXXXX)
PGDSN=""
cleanup() {
	[ -n "$PGDSN" ] && "$WORK/pgdb" drop "$PGDSN" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
cd "$ROOT"
go build -o "$WORK/newsdesk" ./cmd/newsdesk
go build -o "$WORK/wpexport" ./bench/wpexport
go build -o "$WORK/pgdb" ./bench/pgdb
"$WORK/wpexport" --posts "$POSTS" --out "$WORK/site"
SIZE=$(du -m "$WORK/site/export.xml" | cut -f1)
DB=""
if [ -n "${PG:-}" ]; then
	PGDSN=$("$WORK/pgdb" create "$PG")
	DB="--db $PGDSN"
fi
# shellcheck disable=SC2086
/usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$WORK/newsdesk" import wordpress "$WORK/site/export.xml" \
	--uploads "$WORK/site/uploads" --data "$WORK/data" $DB >"$WORK/summary" 2>"$WORK/progress"
grep -E "^  (posts|comments|images|redirects) " "$WORK/summary"
read -r ELAPSED USER SYS RSS <"$WORK/time"
awk -v p="$POSTS" -v e="$ELAPSED" -v u="$USER" -v s="$SYS" -v r="$RSS" -v mb="$SIZE" -v db="${PG:+postgres}" 'BEGIN {
	if (db == "") db = "sqlite"
	printf "%s: %d posts (%d MB export) in %.0f s: %.1f posts/s wall, %.1f posts per CPU second; peak RSS %.0f MB\n",
		db, p, mb, e, p / e, p / (u + s), r / 1024
}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
