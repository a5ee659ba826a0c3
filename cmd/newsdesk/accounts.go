package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"newsdesk/internal/auth"
	"newsdesk/internal/newsroom"
	"newsdesk/internal/sqlstore"
)

// ttlValue is a token lifetime flag: a Go duration ("720h") or a number
// of days ("90d"), from one hour to ten years.
type ttlValue struct{ d *time.Duration }

func (v ttlValue) String() string {
	if v.d == nil {
		return ""
	}
	if *v.d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(*v.d/(24*time.Hour))) + "d"
	}
	return v.d.String()
}

func (v ttlValue) Set(s string) error {
	d, err := parseTTL(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

func parseTTL(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number of days like 90d", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q is not a duration like 90d or 720h", s)
		}
	}
	if d < time.Hour || d > 10*365*24*time.Hour {
		return 0, fmt.Errorf("%q must be from 1h to 3650d", s)
	}
	return d, nil
}

// tokenTTLFromEnv is NEWSDESK_TOKEN_TTL, or the default; a bad value is
// reported by the caller's validate.
func tokenTTLFromEnv(getenv func(string) string) (time.Duration, error) {
	v := getenv("NEWSDESK_TOKEN_TTL")
	if v == "" {
		return newsroom.DefaultTokenTTL, nil
	}
	d, err := parseTTL(v)
	if err != nil {
		return 0, usagef("NEWSDESK_TOKEN_TTL: %v", err)
	}
	return d, nil
}

// userByEmailFlag opens the store and finds the user named by --email.
func userByEmailFlag(ctx context.Context, cmd string, c Config, email string) (*sqlstore.Store, *newsroom.User, error) {
	if email == "" {
		return nil, nil, usagef("%s: --email is required", cmd)
	}
	st, err := openStore(ctx, c, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	u, err := st.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if newsroom.IsNotFound(err) {
		st.Close()
		return nil, nil, usagef("%s: no user with e-mail %s", cmd, email)
	} else if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, u, nil
}

// userDisable disables (or enables) an account from the shell. Disabling
// ends the user's desk sessions and deletes their API tokens in the same
// transaction.
func userDisable(ctx context.Context, disable bool, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	name := "user enable"
	if disable {
		name = "user disable"
	}
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	storageFlags(fs, &c)
	email := fs.String("email", "", "e-mail address of the account")
	if err := fs.Parse(args); err != nil {
		return usagef("%s: %v", name, err)
	}
	st, u, err := userByEmailFlag(ctx, name, c, *email)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetUserDisabled(ctx, u.ID, disable); err != nil {
		return err
	}
	if disable {
		fmt.Fprintf(stdout, "disabled %s <%s>: sessions ended, API tokens revoked\n", u.Name, u.Email)
	} else {
		fmt.Fprintf(stdout, "enabled %s <%s> (sign in again; make new API tokens)\n", u.Name, u.Email)
	}
	return nil
}

func tokenCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storageFlags(fs, &c)
	email := fs.String("email", "", "e-mail address of the user the token acts as")
	ttl, err := tokenTTLFromEnv(getenv)
	if err != nil {
		return err
	}
	fs.Var(ttlValue{&ttl}, "token-ttl", "how long the token works (`DURATION` such as 90d or 720h)")
	if err := fs.Parse(args); err != nil {
		return usagef("token create: %v", err)
	}
	if *email == "" {
		return usagef("token create: --email is required")
	}
	st, u, err := userByEmailFlag(ctx, "token create", c, *email)
	if err != nil {
		return err
	}
	defer st.Close()
	if u.Disabled {
		return usagef("token create: %s is disabled (newsdesk user enable --email %s)", u.Email, u.Email)
	}
	token := auth.NewToken()
	t := &newsroom.APIToken{UserID: u.ID, Hash: auth.HashToken(token), ExpiresAt: time.Now().Add(ttl)}
	if err := st.IssueToken(ctx, t); err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	fmt.Fprintf(stderr, "token %d for %s, valid until %s\n", t.ID, u.Email, t.ExpiresAt.UTC().Format("2006-01-02 15:04 MST"))
	return nil
}

// tokenList prints every token (or one user's) with its owner, creation,
// expiry and last use; never the token itself, which is not stored.
func tokenList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet("token list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storageFlags(fs, &c)
	email := fs.String("email", "", "only this user's tokens")
	if err := fs.Parse(args); err != nil {
		return usagef("token list: %v", err)
	}
	var userID int64
	var st *sqlstore.Store
	var err error
	if *email != "" {
		var u *newsroom.User
		if st, u, err = userByEmailFlag(ctx, "token list", c, *email); err != nil {
			return err
		}
		userID = u.ID
	} else if st, err = openStore(ctx, c, nil, nil); err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Tokens(ctx, userID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tCREATED\tEXPIRES\tLAST USED")
	for _, t := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.User.Email, cliTime(t.CreatedAt), cliTime(t.ExpiresAt), cliTime(t.LastUsedAt))
	}
	return tw.Flush()
}

func cliTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// tokenRevoke deletes one token (--id) or all of a user's (--email).
func tokenRevoke(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet("token revoke", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storageFlags(fs, &c)
	id := fs.Int64("id", 0, "the token's number (from token list)")
	email := fs.String("email", "", "revoke every token of this user")
	if err := fs.Parse(args); err != nil {
		return usagef("token revoke: %v", err)
	}
	if (*id == 0) == (*email == "") {
		return usagef("token revoke: give either --id N or --email E")
	}
	if *id != 0 {
		st, err := openStore(ctx, c, nil, nil)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.RevokeToken(ctx, *id); newsroom.IsNotFound(err) {
			return usagef("token revoke: no token %d (see newsdesk token list)", *id)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked token %d\n", *id)
		return nil
	}
	st, u, err := userByEmailFlag(ctx, "token revoke", c, *email)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.RevokeUserTokens(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "revoked %d token(s) of %s\n", n, u.Email)
	return nil
}

// userPassword sets a new password for any account from the shell (the
// operator's way back in, the first admin's included): the password is
// read from the first line of standard input, and every session of the
// account ends.
func userPassword(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	c := defaultConfig(getenv)
	fs := flag.NewFlagSet("user password", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storageFlags(fs, &c)
	email := fs.String("email", "", "e-mail address of the account")
	no2FA := fs.Bool("no-two-factor", false, "also turn off the account's two-factor sign-in (a lost phone without recovery codes)")
	if err := fs.Parse(args); err != nil {
		return usagef("user password: %v", err)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user password: read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if n := utf8.RuneCountInString(password); n < auth.MinPasswordLen || n > 1000 {
		return usagef("user password: the new password (read from standard input) must have %d to 1000 characters", auth.MinPasswordLen)
	}
	st, u, err := userByEmailFlag(ctx, "user password", c, *email)
	if err != nil {
		return err
	}
	defer st.Close()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := st.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	if err := st.DeleteUserSessions(ctx, u.ID, ""); err != nil {
		return err
	}
	if *no2FA {
		if err := st.DisableTwoFactor(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "two-factor sign-in turned off for %s\n", u.Email)
	}
	fmt.Fprintf(stdout, "new password set for %s <%s>: every desk session ended", u.Name, u.Email)
	if u.Disabled {
		fmt.Fprint(stdout, " (the account is disabled: `newsdesk user enable` lets it sign in)")
	}
	fmt.Fprintln(stdout)
	return nil
}
