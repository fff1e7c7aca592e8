package httpserver

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"go.uber.org/zap"
)

// A request in flight when shutdown begins must still get its full answer,
// and new connections must be refused afterwards.
func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "finished")
	})
	ctx, cancel := context.WithCancel(context.Background())
	cfg := Config{ReadHeaderTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: 2 * time.Second,
		IdleTimeout: time.Second, ShutdownTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, cfg, ln, h, zap.NewNop()) }()

	url := "http://" + ln.Addr().String() + "/"
	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			answer <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answer <- string(b)
	}()
	<-started
	cancel()

	if got := <-answer; got != "finished" {
		t.Fatalf("in-flight request got %q", got)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve returned %v after a clean shutdown", err)
	}
	if _, err := http.Get(url); err == nil {
		t.Fatal("server still accepts connections after shutdown")
	}
}

func TestRunReportsABusyAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = Run(context.Background(), Config{Addr: ln.Addr().String()}, http.NotFoundHandler(), zap.NewNop())
	if err == nil {
		t.Fatal("Run succeeded on a busy address")
	}
}
