package procstat

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseStat(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Stat
		err  bool
	}{
		{
			name: "plain",
			in:   "4242 (postgres) S 17 4242 4242 0 -1 4194560 1 0 0 0 250 50 7 3 20 0 1 0 100 0 0",
			want: Stat{PID: 4242, PPID: 17, Comm: "postgres", CPU: 3 * time.Second, Children: 100 * time.Millisecond},
		},
		{
			name: "comm with spaces and parentheses",
			in:   "9 (a (b) c) R 1 9 9 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 0 0 0",
			want: Stat{PID: 9, PPID: 1, Comm: "a (b) c", CPU: 30 * time.Millisecond},
		},
		{name: "truncated", in: "9 (x) R 1 9", err: true},
		{name: "no comm", in: "9 x R 1", err: true},
		{name: "bad number", in: "9 (x) R 1 9 9 0 -1 0 0 0 0 0 one 2 0 0 20", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStat([]byte(tt.in))
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" && !tt.err {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestParseRSS(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{in: "Name:\tapi\nVmPeak:\t  9000 kB\nVmRSS:\t   38112 kB\nThreads:\t7\n", want: 38112 * 1024},
		{in: "Name:\tkthreadd\nThreads:\t1\n", err: true},
		{in: "VmRSS:\t12 MB\n", err: true},
	}
	for _, tt := range tests {
		got, err := parseRSS([]byte(tt.in))
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("parseRSS(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseMachineCPU(t *testing.T) {
	// user nice system idle iowait irq softirq steal guest guest_nice
	busy, total, err := parseMachineCPU([]byte("cpu  100 5 40 800 30 2 3 20 50 0\ncpu0 1 2 3 4\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := 1700 * time.Millisecond; busy != want {
		t.Errorf("busy = %s, want %s", busy, want)
	}
	if want := 10 * time.Second; total != want {
		t.Errorf("total = %s, want %s", total, want)
	}
	if _, _, err := parseMachineCPU([]byte("intr 1 2 3\n")); err == nil {
		t.Error("a file without the cpu line parsed")
	}
}

// The live readers agree with what this process knows about itself.
func TestLive(t *testing.T) {
	rss, err := RSS(os.Getpid())
	if err != nil || rss < 1<<20 {
		t.Fatalf("RSS(self) = %d, %v", rss, err)
	}
	cmd := exec.Command("sleep", "5")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep binary:", err)
	}
	defer cmd.Process.Kill()
	kids, err := Children(os.Getpid(), "sleep")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{cmd.Process.Pid}, kids); diff != "" {
		t.Errorf("Children (-want +got)\n%s", diff)
	}
	before, err := Group{PID: os.Getpid()}.CPU()
	if err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); time.Since(start) < 150*time.Millisecond; {
	}
	after, _ := Group{PID: os.Getpid()}.CPU()
	if after-before < 50*time.Millisecond {
		t.Errorf("150 ms of spinning counted as %s of CPU", after-before)
	}
	s := StartSampler(10*time.Millisecond, os.Getpid(), cmd.Process.Pid)
	time.Sleep(30 * time.Millisecond)
	peaks := s.Stop()
	if peaks[os.Getpid()] < 1<<20 || peaks[cmd.Process.Pid] == 0 {
		t.Errorf("sampler peaks = %v", peaks)
	}
}
