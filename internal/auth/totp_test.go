package auth

import (
	"testing"
	"time"
)

// RFC 6238 appendix B: the SHA-1 test vectors (the key is the ASCII
// "12345678901234567890"; the RFC lists 8 digits, we use the last 6).
func TestTOTPVectors(t *testing.T) {
	secret := b32.EncodeToString([]byte("12345678901234567890"))
	for _, c := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		got, err := TOTPCode(secret, time.Unix(c.unix, 0))
		if err != nil || got != c.want {
			t.Errorf("T=%d: %q, %v; want %s", c.unix, got, err, c.want)
		}
	}
	now := time.Unix(1111111111, 0)
	code, _ := TOTPCode(secret, now.Add(-30*time.Second))
	if _, ok := CheckTOTP(secret, code, now); !ok {
		t.Error("the previous step's code is refused")
	}
	code, _ = TOTPCode(secret, now.Add(-90*time.Second))
	if _, ok := CheckTOTP(secret, code, now); ok {
		t.Error("a code three steps old is accepted")
	}
	if _, ok := CheckTOTP(secret, "12345", now); ok {
		t.Error("a short code is accepted")
	}
	if codes := NewRecoveryCodes(10); len(codes) != 10 || len(codes[0]) != 14 || codes[0] == codes[1] {
		t.Errorf("recovery codes %v", codes)
	}
}
