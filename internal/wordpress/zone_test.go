package wordpress

import (
	"testing"
	"time"
)

// A date the export gives only in local time takes the offset the export
// shows on the nearest day: summer time in summer, winter time in winter.
func TestZoneFromTheExport(t *testing.T) {
	z := newZone(nil)
	z.learn("2019-01-10 12:00:00", "2019-01-10 12:00:00") // winter: +00:00
	z.learn("2019-07-01 07:00:00", "2019-07-01 08:00:00") // summer: +01:00
	z.learn("0000-00-00 00:00:00", "2019-07-02 08:00:00") // no pair: nothing learnt
	for local, want := range map[string]string{
		"2019-07-04 20:00:00": "2019-07-04T19:00:00Z",
		"2019-06-20 09:30:00": "2019-06-20T08:30:00Z",
		"2019-01-02 09:30:00": "2019-01-02T09:30:00Z",
		"2025-01-01 00:30:00": "2025-01-01T00:30:00Z", // after the last sample: its offset (winter)
	} {
		got, err := z.utc(local)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("utc(%s) = %v, %v; want %s", local, got, err, want)
		}
	}
	if d := z.day(time.Date(2019, 7, 4, 23, 30, 0, 0, time.UTC)); d != "2019-07-05" {
		t.Errorf("day of 23:30 UTC in July = %s; want the next day, local", d)
	}
	if got, _ := newZone(nil).utc("2019-07-04 20:00:00"); got.Format(time.RFC3339) != "2019-07-04T20:00:00Z" {
		t.Errorf("an export without a single pair: %v, want UTC", got)
	}
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Skip(err)
	}
	z = newZone(moscow) // --timezone wins over what the export shows
	z.learn("2019-07-01 07:00:00", "2019-07-01 08:00:00")
	if got, _ := z.utc("2019-07-04 20:00:00"); got.Format(time.RFC3339) != "2019-07-04T17:00:00Z" {
		t.Errorf("--timezone Europe/Moscow: %v", got)
	}
}
