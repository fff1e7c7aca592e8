// Package procstat reads what the benchmark reports about processes from
// /proc: resident memory, CPU time, and which processes belong to whom.
package procstat

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ticksPerSecond is USER_HZ, the unit of the CPU times in /proc/PID/stat.
// Linux fixes it at 100 for every architecture Go runs on.
const ticksPerSecond = 100

// RSS returns the resident set size of pid in bytes (VmRSS).
func RSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parseRSS(b)
}

func parseRSS(status []byte) (int64, error) {
	for line := range bytes.Lines(status) {
		rest, ok := bytes.CutPrefix(line, []byte("VmRSS:"))
		if !ok {
			continue
		}
		f := strings.Fields(string(rest))
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("unexpected VmRSS line %q", line)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("VmRSS: %w", err)
		}
		return kb * 1024, nil
	}
	return 0, errors.New("no VmRSS line (a kernel thread or a zombie)")
}

// Stat is the part of /proc/PID/stat the benchmark uses.
type Stat struct {
	PID, PPID int
	Comm      string
	// CPU is user plus system time of the process itself; Children is
	// that of its children that exited and were waited for.
	CPU, Children time.Duration
}

// ReadStat reads /proc/PID/stat.
func ReadStat(pid int) (Stat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return Stat{}, err
	}
	return parseStat(b)
}

func parseStat(b []byte) (Stat, error) {
	// comm is in parentheses and may itself contain spaces and ')'.
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return Stat{}, fmt.Errorf("malformed stat %q", b)
	}
	var s Stat
	var err error
	if s.PID, err = strconv.Atoi(string(bytes.TrimSpace(b[:open]))); err != nil {
		return Stat{}, fmt.Errorf("stat pid: %w", err)
	}
	s.Comm = string(b[open+1 : end])
	// Fields after comm, numbered from 3 as in proc(5): state ppid ... utime(14) stime(15) cutime(16) cstime(17).
	f := strings.Fields(string(b[end+1:]))
	if len(f) < 15 {
		return Stat{}, fmt.Errorf("short stat %q", b)
	}
	num := func(field int) int64 {
		if err != nil {
			return 0
		}
		var v int64
		v, err = strconv.ParseInt(f[field-3], 10, 64)
		return v
	}
	s.PPID = int(num(4))
	ticks := func(t int64) time.Duration { return time.Duration(t) * time.Second / ticksPerSecond }
	s.CPU = ticks(num(14) + num(15))
	s.Children = ticks(num(16) + num(17))
	if err != nil {
		return Stat{}, fmt.Errorf("stat fields: %w", err)
	}
	return s, nil
}

// All returns the stat of every process now running.
func All() ([]Stat, error) {
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var out []Stat
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		s, err := ReadStat(pid)
		if err != nil {
			continue // exited meanwhile
		}
		out = append(out, s)
	}
	return out, nil
}

// Children returns the direct children of ppid named comm (any name when
// comm is empty).
func Children(ppid int, comm string) ([]int, error) {
	all, err := All()
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, s := range all {
		if s.PPID == ppid && (comm == "" || s.Comm == comm) {
			pids = append(pids, s.PID)
		}
	}
	return pids, nil
}

// PostmasterPID reads the PostgreSQL server's pid from its data folder.
func PostmasterPID(pgdata string) (int, error) {
	b, err := os.ReadFile(filepath.Join(pgdata, "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	first, _, _ := strings.Cut(string(b), "\n")
	return strconv.Atoi(strings.TrimSpace(first))
}

// Group is a set of processes whose CPU time is counted together: a
// process and, with Tree, its children (PostgreSQL's backends), including
// those that already exited.
type Group struct {
	Name string
	PID  int
	Tree bool
}

// CPU returns the group's CPU time so far.
func (g Group) CPU() (time.Duration, error) {
	root, err := ReadStat(g.PID)
	if err != nil {
		return 0, err
	}
	if !g.Tree {
		return root.CPU, nil
	}
	total := root.CPU + root.Children
	all, err := All()
	if err != nil {
		return 0, err
	}
	for _, s := range all {
		if s.PPID == g.PID {
			total += s.CPU + s.Children
		}
	}
	return total, nil
}

// MachineCPU returns the busy and total CPU time of the whole machine so
// far (all cores), from /proc/stat.
func MachineCPU() (busy, total time.Duration, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	return parseMachineCPU(b)
}

func parseMachineCPU(b []byte) (busy, total time.Duration, err error) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("unexpected /proc/stat line %q", line)
	}
	var sum, idle int64
	// user nice system idle iowait irq softirq steal (guest time is
	// already inside user and nice).
	for i, s := range f[1:min(len(f), 9)] {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/stat: %w", err)
		}
		sum += v
		if i == 3 || i == 4 {
			idle += v
		}
	}
	tick := time.Second / ticksPerSecond
	return time.Duration(sum-idle) * tick, time.Duration(sum) * tick, nil
}

// Sampler records the largest RSS of some processes, sampling at an
// interval until stopped.
type Sampler struct {
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	peak map[int]int64
}

// StartSampler samples the RSS of pids every interval.
func StartSampler(interval time.Duration, pids ...int) *Sampler {
	s := &Sampler{stop: make(chan struct{}), done: make(chan struct{}), peak: map[int]int64{}}
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			s.sample(pids)
			select {
			case <-s.stop:
				s.sample(pids)
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *Sampler) sample(pids []int) {
	for _, pid := range pids {
		rss, err := RSS(pid)
		if err != nil {
			continue
		}
		s.mu.Lock()
		s.peak[pid] = max(s.peak[pid], rss)
		s.mu.Unlock()
	}
}

// Stop ends the sampling and returns the peak RSS per pid.
func (s *Sampler) Stop() map[int]int64 {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int]int64, len(s.peak))
	for k, v := range s.peak {
		out[k] = v
	}
	return out
}
