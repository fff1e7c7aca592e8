// Package ceiling measures what the machine allows at most, to put the
// api's figures in proportion: the real proxy in front of a handler that
// does nothing, and the stock transaction of a movement run straight
// against PostgreSQL.
package ceiling

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/bench/load"
)

// TrivialHandler answers every request with a small fixed JSON body, as
// fast as Go's HTTP server can: the upstream of the proxy ceiling.
func TrivialHandler() http.Handler {
	body := []byte(`{"ok":true}`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
}

// Process is a child process started for a ceiling.
type Process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	log    *os.File
}

// PID is the process id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Stop ends the process with SIGTERM (SIGKILL after 20 s) and waits.
func (p *Process) Stop() {
	select {
	case <-p.exited:
	default:
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(20 * time.Second):
			p.cmd.Process.Kill()
			<-p.exited
		}
	}
	if p.log != nil {
		p.log.Close()
		p.log = nil
	}
}

func start(cmd *exec.Cmd, logPath string) (*Process, error) {
	p := &Process{cmd: cmd, exited: make(chan struct{})}
	if logPath != "" {
		f, err := os.Create(logPath)
		if err != nil {
			return nil, err
		}
		p.log = f
		cmd.Stdout, cmd.Stderr = f, f
	}
	if err := cmd.Start(); err != nil {
		if p.log != nil {
			p.log.Close()
		}
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	go func() { cmd.Wait(); close(p.exited) }()
	return p, nil
}

// StartUpstream runs the trivial handler in its own process (this very
// program, run as `exe arg addr`), so that it competes for the cores as
// the api does rather than inside the load generator's process.
func StartUpstream(exe, arg, addr string) (*Process, error) {
	p, err := start(exec.Command(exe, arg, addr), "")
	if err != nil {
		return nil, err
	}
	if err := waitFor(p, 10*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	}); err != nil {
		p.Stop()
		return nil, fmt.Errorf("trivial upstream: %w", err)
	}
	return p, nil
}

// ProxyOptions describes a second proxy for the ceiling.
type ProxyOptions struct {
	Binary, Caddyfile, Dir         string // Dir holds its storage and log
	HTTPSPort, HTTPPort, AdminPort int
	Upstream                       string // host:port for both api and web
}

// StartProxy runs the real proxy binary with the repository's Caddyfile,
// as run-native.sh does, in front of o.Upstream, and returns it with the
// root certificate of its own local CA.
func StartProxy(o ProxyOptions) (*Process, []byte, error) {
	data, config := filepath.Join(o.Dir, "data"), filepath.Join(o.Dir, "config")
	for _, d := range []string{data, config} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, nil, err
		}
	}
	cmd := exec.Command(o.Binary, "run", "--config", o.Caddyfile, "--adapter", "caddyfile")
	cmd.Env = append(os.Environ(), "DOMAIN=localhost",
		fmt.Sprintf("HTTPS_PORT=%d", o.HTTPSPort), fmt.Sprintf("HTTP_PORT=%d", o.HTTPPort),
		"API_UPSTREAM="+o.Upstream, "WEB_UPSTREAM="+o.Upstream,
		fmt.Sprintf("PROXY_ADMIN=127.0.0.1:%d", o.AdminPort), "HSTS_MAX_AGE=0",
		"XDG_DATA_HOME="+data, "XDG_CONFIG_HOME="+config)
	p, err := start(cmd, filepath.Join(o.Dir, "proxy.log"))
	if err != nil {
		return nil, nil, err
	}
	rootPath := filepath.Join(data, "caddy", "pki", "authorities", "local", "root.crt")
	var root []byte
	err = waitFor(p, 60*time.Second, func() bool {
		check := exec.Command(o.Binary, "healthcheck", "--address", fmt.Sprintf("127.0.0.1:%d", o.AdminPort))
		if check.Run() != nil {
			return false
		}
		root, err = os.ReadFile(rootPath)
		return err == nil
	})
	if err != nil {
		p.Stop()
		return nil, nil, fmt.Errorf("ceiling proxy (log in %s): %w", o.Dir, err)
	}
	return p, root, nil
}

func waitFor(p *Process, limit time.Duration, ok func() bool) error {
	deadline := time.Now().Add(limit)
	for !ok() {
		select {
		case <-p.exited:
			return errors.New("exited at start")
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready within %s", limit)
		}
	}
	return nil
}

// Place is a stock row a movement books on.
type Place struct{ ItemID, LocationID int64 }

// Booked tallies what a run of movements booked on the stock.
type Booked struct {
	Movements atomic.Int64
	Delta     atomic.Int64 // change of good stock
}

// ErrInsufficient is an issue refused for lack of stock.
var ErrInsufficient = errors.New("insufficient stock")

// Transaction is the stock transaction the api runs for a receipt or an
// issue, reduced to its core: lock the stock row, check, insert the
// movement, update the level. One round trip per statement, as the api
// makes them.
func Transaction(ctx context.Context, pool *pgxpool.Pool, place Place, receipt bool, qty int64, booked *Booked) error {
	var delta int64
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var good, avg int64
		err := tx.QueryRow(ctx, `
			SELECT s.good, i.avg_unit_cost_micros FROM stock s JOIN items i ON i.id = s.item_id
			 WHERE s.item_id = $1 AND s.location_id = $2 FOR UPDATE OF s`, place.ItemID, place.LocationID).Scan(&good, &avg)
		if err != nil {
			return fmt.Errorf("lock stock: %w", err)
		}
		typ := "receipt"
		delta = qty
		if !receipt {
			typ, delta = "issue", -qty
			if good < qty {
				return ErrInsufficient
			}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO movements (type, item_id, location_id, quantity_base, entered_quantity, entered_unit, unit_factor,
			                       note, effective_at, avg_cost_before, avg_cost_after)
			VALUES ($1, $2, $3, $4, $4, 'base', 1, 'Messlauf Datenbank', now(), $5, $5)`,
			typ, place.ItemID, place.LocationID, qty, avg); err != nil {
			return fmt.Errorf("insert movement: %w", err)
		}
		if _, err := tx.Exec(ctx, "UPDATE stock SET good = $3 WHERE item_id = $1 AND location_id = $2",
			place.ItemID, place.LocationID, good+delta); err != nil {
			return fmt.Errorf("update stock: %w", err)
		}
		return nil
	})
	if err == nil && booked != nil {
		booked.Movements.Add(1)
		booked.Delta.Add(delta)
	}
	return err
}

// Pairs turns a stream of requests into receipt-then-issue pairs of the
// same quantity on the same place, per worker, so that no worker ever
// takes more than it put: stock never runs out, however the pairs of
// different workers interleave.
type Pairs struct {
	pick  func(worker, seq int) Place
	state []pairState
}

type pairState struct {
	place Place
	qty   int64
}

// NewPairs makes pairs for workers, choosing each pair's place with pick.
func NewPairs(workers int, pick func(worker, seq int) Place) *Pairs {
	return &Pairs{pick: pick, state: make([]pairState, workers)}
}

// Next returns request seq of worker: the place, whether it is the
// receipt of its pair, and the quantity.
func (p *Pairs) Next(worker, seq int) (Place, bool, int64) {
	s := &p.state[worker]
	if seq%2 == 0 {
		s.place, s.qty = p.pick(worker, seq), int64(1+seq/2%3)
		return s.place, true, s.qty
	}
	return s.place, false, s.qty
}

// RunTransactions drives Transaction with the load generator.
func RunTransactions(ctx context.Context, pool *pgxpool.Pool, cfg load.Config, pairs *Pairs, booked *Booked) (load.Result, error) {
	return load.Run(ctx, cfg, func(ctx context.Context, w, seq int) load.Outcome {
		place, receipt, qty := pairs.Next(w, seq)
		return load.Outcome{Err: Transaction(ctx, pool, place, receipt, qty, booked)}
	})
}
