package desk

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
)

// The front page's charts are drawn here as SVG on the server: no chart
// library in the browser, colours from classes in front.css (the CSP
// allows no style attributes), and every chart has a title, a description
// and its numbers as a table beside it (chartView.Table).

// series is one set of bars or one line: its name, its CSS class and one
// value per label.
type series struct {
	Name   string
	Class  string
	Values []int
}

// chartView is one chart: the SVG, and the same numbers for the table
// and the CSV export.
type chartView struct {
	ID     string
	Title  string
	Desc   string
	SVG    template.HTML
	Labels []string // the table's rows (days, hours)
	Series []series // the table's columns
	CSV    string   // the export's address
}

const (
	chartW, chartH = 600, 160
	chartPad       = 18 // room for the axis labels below the bars
)

// barChart draws grouped bars: one group per label, one bar per series.
// Every nth label is written under the axis.
func barChart(id, title, desc string, labels []string, ss []series, every int) template.HTML {
	max := 1
	for _, s := range ss {
		for _, v := range s.Values {
			max = maxInt(max, v)
		}
	}
	var b strings.Builder
	openSVG(&b, id, title, desc, chartW, chartH)
	n := maxInt(len(labels), 1)
	group := float64(chartW) / float64(n)
	bar := group * 0.8 / float64(maxInt(len(ss), 1))
	plot := float64(chartH - chartPad)
	fmt.Fprintf(&b, `<line class="axis" x1="0" y1="%.1f" x2="%d" y2="%.1f"/>`, plot, chartW, plot)
	for si, s := range ss {
		fmt.Fprintf(&b, `<g class="%s">`, html.EscapeString(s.Class))
		for i, v := range s.Values {
			if v == 0 {
				continue
			}
			h := plot * float64(v) / float64(max)
			x := float64(i)*group + group*0.1 + float64(si)*bar
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s · %s: %d</title></rect>`,
				x, plot-h, maxF(bar-1, 1), h, html.EscapeString(labels[i]), html.EscapeString(s.Name), v)
		}
		b.WriteString(`</g>`)
	}
	every = maxInt(every, 1)
	for i, l := range labels {
		if i%every == 0 {
			fmt.Fprintf(&b, `<text class="label" x="%.1f" y="%d">%s</text>`, float64(i)*group+group/2, chartH-4, html.EscapeString(l))
		}
	}
	fmt.Fprintf(&b, `<text class="label max" x="2" y="10">%d</text>`, max)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// sparkline draws values as a small line, with its title (the story's
// figures) for assistive technology.
func sparkline(id, title string, values []int) template.HTML {
	const w, h = 120, 24
	max := 1
	for _, v := range values {
		max = maxInt(max, v)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="spark" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s"><title id="%s">%s</title>`,
		w, h, w, h, id, id, html.EscapeString(title))
	b.WriteString(`<polyline points="`)
	step := float64(w) / float64(maxInt(len(values)-1, 1))
	for i, v := range values {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(float64(i)*step, 'f', 1, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(float64(h-1)-float64(h-2)*float64(v)/float64(max), 'f', 1, 64))
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String())
}

func openSVG(b *strings.Builder, id, title, desc string, w, h int) {
	fmt.Fprintf(b, `<svg class="chart-svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" preserveAspectRatio="none">`, w, h, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(desc))
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func maxF(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}
