// Package mail sends plain-text e-mail over SMTP: digests for editors of new
// comments and error reports, and notes to readers. Only text/plain is sent,
// so nothing a reader typed can become markup in a mail client.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"
)

// Message is one plain-text e-mail.
type Message struct {
	To      []string
	Subject string
	Text    string
}

// Sender sends messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Config says how to reach the SMTP server.
type Config struct {
	Host     string // empty disables sending
	Port     int    // default 587
	Username string // optional; PLAIN auth (needs TLS unless Host is loopback)
	Password string
	From     string // sender address, e.g. "Newsroom <desk@example.com>"
	// Timeout bounds one delivery (default 20 s).
	Timeout time.Duration
}

// Enabled reports whether mail can be sent.
func (c Config) Enabled() bool { return c.Host != "" && c.From != "" }

// SMTP sends through an SMTP server, with STARTTLS when the server offers it.
type SMTP struct{ cfg Config }

// NewSMTP returns a Sender for cfg.
func NewSMTP(cfg Config) *SMTP {
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 20 * time.Second
	}
	return &SMTP{cfg: cfg}
}

// Send delivers m, or returns an error saying which step failed.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if !s.cfg.Enabled() {
		return fmt.Errorf("send mail: no SMTP server configured")
	}
	from, err := mail.ParseAddress(s.cfg.From)
	if err != nil {
		return fmt.Errorf("send mail: bad sender %q: %w", s.cfg.From, err)
	}
	var to []string
	for _, addr := range m.To {
		a, err := mail.ParseAddress(addr)
		if err != nil {
			return fmt.Errorf("send mail: bad recipient %q: %w", addr, err)
		}
		to = append(to, a.Address)
	}
	if len(to) == 0 {
		return fmt.Errorf("send mail: no recipients")
	}
	data, err := Compose(from.String(), to, m.Subject, m.Text, time.Now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("send mail: connect %s: %w", addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("send mail: greeting: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: s.cfg.Host}); err != nil {
			return fmt.Errorf("send mail: starttls: %w", err)
		}
	}
	if s.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return fmt.Errorf("send mail: auth: %w", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("send mail: MAIL FROM: %w", err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return fmt.Errorf("send mail: RCPT TO %s: %w", r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("send mail: DATA: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("send mail: write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("send mail: end of data: %w", err)
	}
	return c.Quit()
}

// Compose builds the RFC 5322 bytes of a plain-text message. Header values
// lose any line breaks (no header injection); the subject is encoded when it
// is not ASCII; the body is quoted-printable UTF-8.
func Compose(from string, to []string, subject, text string, date time.Time) ([]byte, error) {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, s)
	}
	id := make([]byte, 12)
	rand.Read(id)
	host := "newsdesk.local"
	if a, err := mail.ParseAddress(from); err == nil {
		if at := strings.LastIndex(a.Address, "@"); at >= 0 {
			host = a.Address[at+1:]
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", clean(from))
	fmt.Fprintf(&b, "To: %s\r\n", clean(strings.Join(to, ", ")))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", clean(subject)))
	fmt.Fprintf(&b, "Date: %s\r\n", date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id), host)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(text, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}
