#!/bin/sh
# Backup and restore speed on a large corpus. bench/corpus fills a SQLite
# site (the demo outlet plus N articles, C comments of which every third
# is a reply); then:
#   1. newsdesk backup of the SQLite site            -> sqlite.tar
#   2. restore sqlite.tar into a new SQLite directory
# and, with PG set (a PostgreSQL server to make scratch databases on):
#   3. restore sqlite.tar into PostgreSQL (the way up)
#   4. newsdesk backup of that PostgreSQL site       -> postgres.tar
#   5. restore postgres.tar into a new SQLite directory
# Each step prints its wall time, MB/s (archive bytes) and articles/s,
# from the command's own "took" line, and the CPU seconds it used (read
# by /usr/bin/time). See docs/PERFORMANCE.md.
#
#   bench/backup.sh [articles] [comments]
#   PG='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' bench/backup.sh 20000 200000
set -eu
N=${1:-20000}
C=${2:-$((N * 10))}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/newsdesk-backupbench.XXXXXX)
PGDSN=""
cleanup() {
	[ -n "$PGDSN" ] && "$WORK/pgdb" drop "$PGDSN" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
cd "$ROOT"
go build -o "$WORK/newsdesk" ./cmd/newsdesk
go build -o "$WORK/corpus" ./bench/corpus
go build -o "$WORK/pgdb" ./bench/pgdb
"$WORK/corpus" --data "$WORK/src" --articles "$N" --comments "$C" --reply-every 3 --out "$WORK/urls" 2>"$WORK/corpus.log"
tail -n 2 "$WORK/corpus.log"

# step NAME COMMAND...: runs a backup or restore and prints its figures,
# with the CPU seconds it used (on a shared machine the wall time says
# more about the neighbours).
step() {
	name=$1
	shift
	/usr/bin/time -f "%U %S" -o "$WORK/time" "$@" --quiet >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
	cpu=$(awk '{ printf "%.1f", $1 + $2 }' "$WORK/time")
	grep -E "took" "$WORK/out" | sed "s/^.*took/took/; s/^/$name: /; s/\$/; CPU $cpu s/"
}
step "backup   sqlite           " "$WORK/newsdesk" backup --data "$WORK/src" --out "$WORK/sqlite.tar"
echo "archive: $(du -m "$WORK/sqlite.tar" | cut -f1) MB"
step "restore  sqlite -> sqlite " "$WORK/newsdesk" restore "$WORK/sqlite.tar" --data "$WORK/r1"
if [ -n "${PG:-}" ]; then
	PGDSN=$("$WORK/pgdb" create "$PG")
	step "restore  sqlite -> postgres" "$WORK/newsdesk" restore "$WORK/sqlite.tar" --data "$WORK/r2" --db "$PGDSN"
	step "backup   postgres         " "$WORK/newsdesk" backup --data "$WORK/r2" --db "$PGDSN" --out "$WORK/postgres.tar"
	step "restore  postgres -> sqlite" "$WORK/newsdesk" restore "$WORK/postgres.tar" --data "$WORK/r3"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
