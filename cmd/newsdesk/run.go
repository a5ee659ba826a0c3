package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
)

const usage = `usage:
  newsdesk [serve] [--addr HOST:PORT] [--data DIR] [--db DSN] [--language en|ru] [--no-demo]
  newsdesk user add --email E --name N --role admin|editor|correspondent|moderator   (password on standard input)
  newsdesk user disable --email E | user enable --email E   (disabling ends the user's sessions and tokens at once)
  newsdesk user password --email E   (new password on stdin; ends the account's sessions)
  newsdesk token create --email E [--token-ttl 90d]
  newsdesk token list [--email E]      (every token with its owner, expiry and last use)
  newsdesk token revoke --id N | --email E
  newsdesk migrate [--status]         (apply pending migrations, or show where the database stands)
  newsdesk backup --out FILE          (online; one engine-neutral archive with the media)
  newsdesk media migrate --to s3://BUCKET/PREFIX?endpoint=URL&region=R [--data DIR]   (copy the media files into a bucket; resumable)
  newsdesk restore FILE --data DIR [--db DSN]   (into an empty target only)
  newsdesk import wordpress FILE.xml [FILE2.xml ...] [--uploads DIR | --fetch [--fetch-host H]] [--dry-run] [--data DIR] [--db DSN]
`

// run is the whole program; main only calls it and turns its error into an
// exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		cfg, err := parseServe(args, getenv, stderr)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		if err != nil {
			return err
		}
		return serve(ctx, cfg, stdout, stderr)
	case "user":
		switch {
		case len(args) > 0 && args[0] == "add":
			return userAdd(ctx, args[1:], getenv, stdin, stdout, stderr)
		case len(args) > 0 && (args[0] == "disable" || args[0] == "enable"):
			return userDisable(ctx, args[0] == "disable", args[1:], getenv, stdout, stderr) // accounts.go
		case len(args) > 0 && args[0] == "password":
			return userPassword(ctx, args[1:], getenv, stdin, stdout, stderr) // accounts.go
		}
		return usagef("user: the subcommands are add, password, disable and enable\n%s", usage)
	case "token":
		switch {
		case len(args) > 0 && args[0] == "create":
			return tokenCreate(ctx, args[1:], getenv, stdout, stderr) // accounts.go
		case len(args) > 0 && args[0] == "list":
			return tokenList(ctx, args[1:], getenv, stdout, stderr)
		case len(args) > 0 && args[0] == "revoke":
			return tokenRevoke(ctx, args[1:], getenv, stdout, stderr)
		}
		return usagef("token: the subcommands are create, list and revoke\n%s", usage)
	case "migrate":
		return migrateCmd(ctx, args, getenv, stdout, stderr)
	case "import":
		if len(args) == 0 || args[0] != "wordpress" {
			return usagef("import: the only source is \"wordpress\"\n%s", usage)
		}
		return importWordPress(ctx, args[1:], getenv, stdout, stderr)
	case "media":
		return mediaCmd(ctx, args, getenv, stdout, stderr) // media.go
	case "backup":
		return backupCmd(ctx, args, getenv, stdout, stderr)
	case "restore":
		return restoreCmd(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return usagef("unknown command %q\n%s", cmd, usage)
	}
}

func userAdd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storageFlags(fs, &c)
	u := &newsroom.User{}
	var role string
	fs.StringVar(&u.Email, "email", "", "e-mail address (the sign-in name)")
	fs.StringVar(&u.Name, "name", "", "full name")
	fs.StringVar(&role, "role", "", "admin, editor, correspondent or moderator")
	if err := fs.Parse(args); err != nil {
		return usagef("user add: %v", err)
	}
	u.Role = newsroom.Role(role)
	if err := u.Validate(); err != nil {
		e := newsroom.AsError(err)
		return usagef("user add: --%s: %s", e.Field, e.Message)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user add: read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if len([]rune(password)) < auth.MinPasswordLen {
		return usagef("user add: the password (read from standard input) must have at least %d characters", auth.MinPasswordLen)
	}
	if u.PasswordHash, err = auth.HashPassword(password); err != nil {
		return err
	}
	st, err := openStore(ctx, c, nil, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CreateUser(ctx, u); err != nil {
		if newsroom.ErrorCode(err) == newsroom.Conflict {
			return usagef("user add: a user with e-mail %s already exists", u.Email)
		}
		return err
	}
	fmt.Fprintf(stdout, "added %s <%s> as %s (id %d)\n", u.Name, u.Email, u.Role, u.ID)
	return nil
}
