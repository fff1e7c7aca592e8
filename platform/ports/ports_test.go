package ports

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// A claimed port is nobody else's until released: another claim (here a
// second open of its lock file, as another process would make) is refused,
// and a released one can be claimed again.
func TestClaim(t *testing.T) {
	claim, err := Claim(3)
	if err != nil {
		t.Fatal(err)
	}
	if len(claim.Numbers) != 3 || claim.Numbers[0] == claim.Numbers[1] || claim.Numbers[1] == claim.Numbers[2] || claim.Numbers[0] == claim.Numbers[2] {
		t.Fatalf("ports %v, want three different ones", claim.Numbers)
	}
	for _, port := range claim.Numbers {
		if l, err := lockPort(port); err == nil {
			l.Close()
			t.Errorf("port %d claimed twice", port)
		}
	}
	claim.Release()
	if err := claim.Reclaim(); err != nil {
		t.Fatalf("reclaim after release: %v", err)
	}
	if l, err := lockPort(claim.Numbers[0]); err == nil {
		l.Close()
		t.Errorf("port %d claimed twice after reclaim", claim.Numbers[0])
	}
	claim.Release()
	l, err := lockPort(claim.Numbers[0])
	if err != nil {
		t.Fatalf("a released port stays claimed: %v", err)
	}
	l.Close()
}

// Another process cannot claim a port this one holds: a child process
// (this test binary again) tries to lock each claimed number and reports
// which it got.
func TestClaimHoldsAcrossProcesses(t *testing.T) {
	if nums := os.Getenv("PORTS_TRY"); nums != "" {
		var got []string
		for _, n := range strings.Split(nums, ",") {
			port, err := strconv.Atoi(n)
			if err != nil {
				t.Fatal(err)
			}
			if l, err := lockPort(port); err == nil {
				l.Close()
				got = append(got, n)
			}
		}
		// The parent reads this line.
		os.Stdout.WriteString("locked:" + strings.Join(got, ",") + "\n")
		return
	}
	claim, err := Claim(2)
	if err != nil {
		t.Fatal(err)
	}
	defer claim.Release()
	try := func() string {
		t.Helper()
		var nums []string
		for _, n := range claim.Numbers {
			nums = append(nums, strconv.Itoa(n))
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestClaimHoldsAcrossProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), "PORTS_TRY="+strings.Join(nums, ","))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if rest, ok := strings.CutPrefix(line, "locked:"); ok {
				return rest
			}
		}
		t.Fatalf("child said nothing of its locks:\n%s", out)
		return ""
	}
	if got := try(); got != "" {
		t.Errorf("another process locked %s while this one held %v", got, claim.Numbers)
	}
	claim.Release()
	if got, want := try(), strconv.Itoa(claim.Numbers[0])+","+strconv.Itoa(claim.Numbers[1]); got != want {
		t.Errorf("after release another process locked %q, want %q", got, want)
	}
}
