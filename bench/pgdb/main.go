// Command pgdb creates and drops the scratch PostgreSQL database a
// benchmark run uses.
//
//	go run ./bench/pgdb create postgres://postgres@127.0.0.1:5432/test   (prints the new DSN)
//	go run ./bench/pgdb create postgres://postgres@127.0.0.1:5432/test NAME   (newsdesk_bench_NAME, kept if it exists)
//	go run ./bench/pgdb drop DSN
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

func main() {
	named := len(os.Args) == 4 && os.Args[1] == "create"
	if (len(os.Args) != 3 && !named) || (os.Args[1] != "create" && os.Args[1] != "drop") {
		fmt.Fprintln(os.Stderr, "usage: pgdb create BASE_DSN [NAME] | pgdb drop DSN")
		os.Exit(2)
	}
	name := ""
	if named {
		name = os.Args[3]
	}
	if err := run(os.Args[1], os.Args[2], name); err != nil {
		fmt.Fprintln(os.Stderr, "pgdb:", err)
		os.Exit(1)
	}
}

// run creates a database (a random name, or newsdesk_bench_ and keep:
// one kept between runs, created only if missing) or drops one.
func run(cmd, dsn, keep string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	name := strings.TrimPrefix(u.Path, "/")
	admin := *u
	if cmd == "drop" {
		if !strings.HasPrefix(name, "newsdesk_bench_") {
			return fmt.Errorf("refusing to drop %q: not a benchmark database", name)
		}
		admin.Path = "/postgres"
	}
	db, err := sql.Open("pgx", admin.String())
	if err != nil {
		return err
	}
	defer db.Close()
	if cmd == "drop" {
		_, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	name = "newsdesk_bench_" + hex.EncodeToString(b[:])
	exists := false
	if keep != "" {
		for _, r := range keep {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
				return fmt.Errorf("database name %q: lower-case letters, digits and _ only", keep)
			}
		}
		name = "newsdesk_bench_" + keep
		if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
			return err
		}
	}
	if !exists {
		if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			return err
		}
	}
	u.Path = "/" + name
	fmt.Println(u.String())
	return nil
}
