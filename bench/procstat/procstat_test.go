package procstat

import (
	"os"
	"os/exec"
	"slices"
	"syscall"
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

// The live readers agree with what the kernel reports to this process
// through other channels (getrusage, the pids exec returned). Nothing here
// depends on how fast or how busy the machine is: the CPU burn runs until
// the kernel has counted enough CPU time, not for a span of wall time.
func TestLive(t *testing.T) {
	rss, err := RSS(os.Getpid())
	if err != nil || rss < 1<<20 {
		t.Fatalf("RSS(self) = %d, %v", rss, err)
	}

	// Children: exactly the child started here, and gone once it is reaped.
	child := startChild(t)
	kids, err := Children(os.Getpid(), "sleep")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{child.Process.Pid}, kids); diff != "" {
		t.Errorf("Children (-want +got)\n%s", diff)
	}
	if all, err := Children(os.Getpid(), ""); err != nil || !slices.Contains(all, child.Process.Pid) {
		t.Errorf("Children(any name) = %v, %v; want it to hold %d", all, err, child.Process.Pid)
	}

	// The sampler takes a sample when it starts and one when it stops.
	s := StartSampler(time.Hour, os.Getpid(), child.Process.Pid)
	peaks := s.Stop()
	if peaks[os.Getpid()] < 1<<20 || peaks[child.Process.Pid] == 0 {
		t.Errorf("sampler peaks = %v", peaks)
	}
	stopChild(t, child)
	if kids, err := Children(os.Getpid(), "sleep"); err != nil || len(kids) != 0 {
		t.Errorf("Children after the child was reaped = %v, %v; want none", kids, err)
	}

	// CPU: /proc/self/stat and getrusage count the same time, /proc in
	// whole clock ticks (each of user and system time rounded down).
	const slack = 2 * time.Second / ticksPerSecond
	before := selfRusage(t)
	var checksum uint64
	for selfRusage(t)-before < 100*time.Millisecond {
		checksum += burn()
	}
	t.Logf("burned CPU (checksum %x)", checksum) // uses the result, so the loop stays
	got, err := Group{PID: os.Getpid()}.CPU()
	if err != nil {
		t.Fatal(err)
	}
	after := selfRusage(t)
	if got < before+100*time.Millisecond-slack || got > after {
		t.Errorf("CPU(self) = %s; getrusage said %s before and %s after", got, before, after)
	}

	// A Tree group also counts the CPU time of children that exited.
	tree, err := Group{PID: os.Getpid(), Tree: true}.CPU()
	if err != nil {
		t.Fatal(err)
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		t.Fatal(err)
	}
	children := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	if least := got + children - slack; tree < least {
		t.Errorf("CPU(self and children) = %s, want at least %s (self) + %s (reaped children)", tree, got, children)
	}
}

// startChild starts a sleep that the test ends and reaps itself, so that
// no child outlives the test, also under -count=N.
func startChild(t *testing.T) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sleep", "600")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sleep: %v", err)
	}
	t.Cleanup(func() { stopChild(t, cmd) })
	return cmd
}

func stopChild(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if cmd.ProcessState != nil {
		return
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait() // reaps it: a zombie would still be listed as a child
}

func selfRusage(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// burn spends a little CPU time.
func burn() uint64 {
	x := uint64(1)
	for i := range 1 << 20 {
		x = x*6364136223846793005 + uint64(i)
	}
	return x
}
