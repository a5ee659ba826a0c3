package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/mail"
	"newsdesk/internal/mail/mailtest"
)

func TestSendThroughRealSMTPServer(t *testing.T) {
	srv := mailtest.Start(t)
	s := mail.NewSMTP(mail.Config{Host: srv.Host, Port: srv.Port, From: "Desk <desk@courier.example>"})
	err := s.Send(context.Background(), mail.Message{
		To:      []string{"editor@courier.example"},
		Subject: "Новые сообщения об ошибках: 2\r\nBcc: victim@example.com",
		Text:    "A reader wrote: <script>alert(1)</script>\nSecond line, ünïcode.",
	})
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Wait(1, 5*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages", len(msgs))
	}
	m := msgs[0]
	if m.From != "desk@courier.example" || len(m.To) != 1 || m.To[0] != "editor@courier.example" {
		t.Errorf("envelope from %q to %v", m.From, m.To)
	}
	if !strings.HasPrefix(m.Subject, "Новые сообщения об ошибках: 2") {
		t.Errorf("subject = %q", m.Subject)
	}
	if strings.Contains(string(m.Raw), "\r\nBcc:") {
		t.Error("subject line break became a header")
	}
	if !strings.Contains(m.Text, "<script>alert(1)</script>\nSecond line, ünïcode.") {
		t.Errorf("text = %q", m.Text)
	}
	if !strings.Contains(string(m.Raw), "Content-Type: text/plain; charset=utf-8") {
		t.Error("not plain text")
	}
}

func TestSendErrors(t *testing.T) {
	if err := mail.NewSMTP(mail.Config{}).Send(context.Background(), mail.Message{To: []string{"a@b.example"}}); err == nil {
		t.Error("unconfigured sender sent")
	}
	s := mail.NewSMTP(mail.Config{Host: "127.0.0.1", Port: 1, From: "d@x.example", Timeout: 2 * time.Second})
	if err := s.Send(context.Background(), mail.Message{To: []string{"a@b.example"}}); err == nil || !strings.Contains(err.Error(), "connect") {
		t.Errorf("unreachable server: %v", err)
	}
}
