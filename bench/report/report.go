// Package report formats the benchmark's figures as a text table for the
// terminal and as Markdown for docs/performance.md.
package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Row is one scenario's figures.
type Row struct {
	Scenario    string
	Concurrency int
	Throughput  float64 // requests (or transactions) per second
	Ceiling     float64 // the throughput compared with; 0 for none
	P50         time.Duration
	P95         time.Duration
	P99         time.Duration
	Requests    int
	Errors      int
	Target      string // "" for none
	Pass        *bool  // nil when there is no target
	Note        string // why it failed, or what was verified
}

// PercentOfCeiling is Throughput as a share of Ceiling, or -1 without one.
func (r Row) PercentOfCeiling() float64 {
	if r.Ceiling <= 0 {
		return -1
	}
	return 100 * r.Throughput / r.Ceiling
}

// Verdict is "pass", "FAIL" or "—".
func (r Row) Verdict() string {
	switch {
	case r.Pass == nil:
		return "—"
	case *r.Pass:
		return "pass"
	default:
		return "FAIL"
	}
}

var header = []string{"scenario", "conc", "req/s", "% of ceiling", "p50", "p95", "p99", "errors", "target", "result"}

func (r Row) cells() []string {
	pct := "—"
	if p := r.PercentOfCeiling(); p >= 0 {
		pct = fmt.Sprintf("%.0f %%", p)
	}
	target := r.Target
	if target == "" {
		target = "—"
	}
	errs := fmt.Sprintf("%d", r.Errors)
	if r.Requests > 0 {
		errs = fmt.Sprintf("%d / %d", r.Errors, r.Requests)
	}
	return []string{r.Scenario, fmt.Sprint(r.Concurrency), fmt.Sprintf("%.0f", r.Throughput), pct,
		Millis(r.P50), Millis(r.P95), Millis(r.P99), errs, target, r.Verdict()}
}

// Millis writes a latency in milliseconds with a precision that suits it.
func Millis(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 100:
		return fmt.Sprintf("%.1f ms", ms)
	default:
		return fmt.Sprintf("%.0f ms", ms)
	}
}

// Text writes rows as an aligned table, with notes below.
func Text(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r.cells(), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rows {
		if r.Note != "" {
			fmt.Fprintf(w, "  %s: %s\n", r.Scenario, r.Note)
		}
	}
	return nil
}

// Markdown writes rows as a Markdown table, with notes as a list below.
func Markdown(w io.Writer, rows []Row) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(header, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(header)))
	for _, r := range rows {
		c := r.cells()
		for i := range c {
			c[i] = strings.ReplaceAll(c[i], "|", `\|`)
		}
		if r.Pass != nil && !*r.Pass {
			c[len(c)-1] = "**FAIL**"
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(c, " | "))
	}
	first := true
	for _, r := range rows {
		if r.Note == "" {
			continue
		}
		if first {
			fmt.Fprintln(w)
			first = false
		}
		fmt.Fprintf(w, "- %s: %s\n", r.Scenario, r.Note)
	}
}
