package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP (RFC 6238 over RFC 4226's HOTP), as every authenticator app speaks
// it: HMAC-SHA1, 30-second steps, six digits. A code is accepted one step
// either side of now, for clocks that drift.
const (
	totpStep   = 30 * time.Second
	totpDigits = 6
	totpSkew   = 1
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a random 160-bit secret in base32, as apps take it.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	return b32.EncodeToString(b)
}

// TOTPURL is the otpauth:// address an authenticator app reads from a QR
// code.
func TOTPURL(secret, issuer, account string) string {
	v := url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + url.PathEscape(issuer+":"+account) + "?" + v.Encode()
}

// TOTPCode returns the code for secret at the step containing t.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := b32.DecodeString(strings.ToUpper(strings.TrimSpace(secret)))
	if err != nil {
		return "", fmt.Errorf("totp secret: %w", err)
	}
	return hotp(key, uint64(t.Unix()/int64(totpStep/time.Second))), nil
}

// CheckTOTP reports whether code is the secret's code at now (one step
// either side) and, if so, the step it matched, so that a caller can
// refuse a step already used (a code works once).
func CheckTOTP(secret, code string, now time.Time) (int64, bool) {
	key, err := b32.DecodeString(strings.ToUpper(strings.TrimSpace(secret)))
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if err != nil || len(code) != totpDigits {
		return 0, false
	}
	step := now.Unix() / int64(totpStep/time.Second)
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		if hmac.Equal([]byte(hotp(key, uint64(step+d))), []byte(code)) {
			return step + d, true
		}
	}
	return 0, false
}

// hotp is RFC 4226's HOTP value of counter, as six digits.
func hotp(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1_000_000)
}

// NewRecoveryCodes returns n one-time recovery codes ("xxxx-xxxx-xxxx",
// 60 bits each). Store only their HashToken.
func NewRecoveryCodes(n int) []string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	out := make([]string, n)
	for i := range out {
		b := make([]byte, 12)
		if _, err := rand.Read(b); err != nil {
			panic("auth: no randomness: " + err.Error())
		}
		var s strings.Builder
		for j, c := range b {
			if j > 0 && j%4 == 0 {
				s.WriteByte('-')
			}
			s.WriteByte(alphabet[int(c)%len(alphabet)])
		}
		out[i] = s.String()
	}
	return out
}

// NormalizeRecoveryCode is how a typed recovery code is compared: lower
// case, without spaces.
func NormalizeRecoveryCode(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}
