package sqlstore

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds everything that differs between SQLite and PostgreSQL.
// Shared SQL uses $1, $2 placeholders, which both drivers bind by number.
type dialect struct {
	name string
	// like is the case-insensitive LIKE operator.
	like string
	// forUpdate is appended to a SELECT that reads a row about to be
	// changed in the same transaction.
	forUpdate string
	// timeType is the column type of a stored time.
	timeType string
	// lockMigrations and unlockMigrations, when set, are run on the
	// migrating connection around the whole run ($1 is the lock key).
	lockMigrations, unlockMigrations string
	// timeArg converts a time to a bind argument (zero is NULL).
	timeArg func(t time.Time) any
	// isUnique and isForeignKey classify constraint violations by driver code.
	isUnique     func(err error) bool
	isForeignKey func(err error) bool
	// search runs full-text queries (search.go).
	search searchDialect
	// dayOf is the UTC date of a stored time column as YYYY-MM-DD text;
	// dateText is a stored date column (a view day) as the same text.
	dayOf, dateText func(col string) string
}

// sqliteTimeFormat is fixed-width so that text comparison sorts by time.
const sqliteTimeFormat = "2006-01-02T15:04:05.000000Z"

var sqliteDialect = &dialect{
	name:      "sqlite",
	like:      "LIKE",
	forUpdate: "",
	timeType:  "TEXT",
	timeArg: func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC().Format(sqliteTimeFormat)
	},
	isUnique: func(err error) bool {
		code, ok := sqliteCode(err)
		return ok && (code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	isForeignKey: func(err error) bool {
		code, ok := sqliteCode(err)
		return ok && code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	},
	dayOf:    func(col string) string { return "substr(" + col + ", 1, 10)" },
	dateText: func(col string) string { return col },
}

var postgresDialect = &dialect{
	name:             "postgres",
	like:             "ILIKE",
	forUpdate:        " FOR UPDATE",
	timeType:         "TIMESTAMPTZ",
	lockMigrations:   "SELECT pg_advisory_lock($1)",
	unlockMigrations: "SELECT pg_advisory_unlock($1)",
	timeArg: func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC()
	},
	isUnique:     func(err error) bool { return pgCode(err) == "23505" },
	isForeignKey: func(err error) bool { return pgCode(err) == "23503" },
	dayOf:        func(col string) string { return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD')" },
	dateText:     func(col string) string { return "to_char(" + col + ", 'YYYY-MM-DD')" },
}

func sqliteCode(err error) (int, bool) {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code(), true
	}
	return 0, false
}

// isSQLiteBusy reports whether err is SQLite's "database is locked"
// (SQLITE_BUSY, with any extended code).
func isSQLiteBusy(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code&0xff == sqlite3.SQLITE_BUSY
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// placeholders returns "$from, $from+1, ..." for n arguments.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// dbTime scans a nullable time stored either as a native timestamp
// (PostgreSQL) or as text in sqliteTimeFormat (SQLite). NULL scans as zero.
type dbTime struct{ t *time.Time }

func (d dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d.t = time.Time{}
	case time.Time:
		*d.t = x.UTC()
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	default:
		return fmt.Errorf("cannot scan %T into a time", v)
	}
	return nil
}

func (d dbTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("parse stored time %q: %w", s, err)
	}
	*d.t = t.UTC()
	return nil
}

// scanTime returns a Scanner that stores into t.
func scanTime(t *time.Time) dbTime { return dbTime{t} }

// normTime is how every time is kept: UTC, microsecond precision (what
// PostgreSQL stores), so a value reads back equal to what was written.
func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}
