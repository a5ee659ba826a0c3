// Command newsdesk is a newsroom publishing platform in one binary: the news
// site, readers' comments and error reports, and the editorial desk.
//
//	newsdesk [serve] [--addr HOST:PORT] [--data DIR] [--db DSN] [--language en|ru] [--no-demo]
//	newsdesk user add --email E --name N --role admin|editor|correspondent|moderator
//	newsdesk token create --email E
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "newsdesk:", err)
		var ue *usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
