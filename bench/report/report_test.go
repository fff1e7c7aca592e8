package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func rows() []Row {
	yes, no := true, false
	return []Row{
		{Scenario: "proxy ceiling", Concurrency: 16, Throughput: 4210.4, P50: 3200 * time.Microsecond, P95: 7 * time.Millisecond,
			P99: 12345 * time.Microsecond, Requests: 42104},
		{Scenario: "items list", Concurrency: 16, Throughput: 2600, Ceiling: 4210.4, P50: 5 * time.Millisecond, P95: 20 * time.Millisecond,
			P99: 40 * time.Millisecond, Requests: 26000, Target: "≥ 60 % of ceiling, p99 ≤ 50 ms", Pass: &yes},
		{Scenario: "hot item", Concurrency: 32, Throughput: 100, Ceiling: 1000, P99: 250 * time.Millisecond, Requests: 1000, Errors: 2,
			Target: "≥ 30 %", Pass: &no, Note: "2 answers 5xx | stock verified"},
	}
}

func TestText(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, rows()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	want := []string{
		"scenario       conc  req/s  % of ceiling  p50      p95      p99      errors     target                          result",
		"proxy ceiling  16    4210   —             3.20 ms  7.00 ms  12.3 ms  0 / 42104  —                               —",
		"items list     16    2600   62 %          5.00 ms  20.0 ms  40.0 ms  0 / 26000  ≥ 60 % of ceiling, p99 ≤ 50 ms  pass",
		"hot item       32    100    10 %          0.00 ms  0.00 ms  250 ms   2 / 1000   ≥ 30 %                          FAIL",
		"  hot item: 2 answers 5xx | stock verified",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestMarkdown(t *testing.T) {
	var b bytes.Buffer
	Markdown(&b, rows())
	got := b.String()
	for _, want := range []string{
		"| scenario | conc | req/s | % of ceiling | p50 | p95 | p99 | errors | target | result |\n|---|---|---|---|---|---|---|---|---|---|\n",
		"| items list | 16 | 2600 | 62 % | 5.00 ms | 20.0 ms | 40.0 ms | 0 / 26000 | ≥ 60 % of ceiling, p99 ≤ 50 ms | pass |\n",
		"| hot item | 32 | 100 | 10 % | 0.00 ms | 0.00 ms | 250 ms | 2 / 1000 | ≥ 30 % | **FAIL** |\n",
		"\n- hot item: 2 answers 5xx | stock verified\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, got)
		}
	}
}
