package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// waitFor polls cond until it holds; it fails the test only after a
// minute, so a busy machine cannot make it fail.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestReadsTakeTurnsUntilTheirAnswersStart(t *testing.T) {
	const turns = 3
	var inside, most atomic.Int32
	gate := make(chan struct{})
	e := echo.New()
	e.Use(limitReads(turns))
	work := func(c echo.Context) error {
		n := inside.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-gate
		inside.Add(-1)
		return c.String(http.StatusOK, "ok")
	}
	e.GET("/read", work)
	e.POST("/write", work)

	serve := func(method string, ctx context.Context) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, method, "/"+map[string]string{"GET": "read", "POST": "write"}[method], nil))
		return rec
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { serve(http.MethodGet, context.Background()) })
	}
	waitFor(t, "three reads at work", func() bool { return inside.Load() == turns })

	// A write does not wait for a turn.
	wg.Go(func() { serve(http.MethodPost, context.Background()) })
	waitFor(t, "the write at work beside three reads", func() bool { return inside.Load() == turns+1 })

	// A read whose client leaves while it waits is not worked on.
	ctx, leave := context.WithCancel(context.Background())
	left := make(chan *httptest.ResponseRecorder)
	go func() { left <- serve(http.MethodGet, ctx) }()
	leave()
	if rec := <-left; rec.Code == http.StatusOK {
		t.Fatalf("a read whose client left was answered: %d %q", rec.Code, rec.Body)
	}

	for range 21 {
		gate <- struct{}{}
	}
	wg.Wait()
	if m := most.Load(); m != turns+1 {
		t.Errorf("at most %d at work at once, want %d reads and the write", m, turns+1)
	}
}

func TestAReadsTurnEndsWhenItsAnswerStarts(t *testing.T) {
	e := echo.New()
	e.Use(limitReads(1))
	sending := make(chan struct{})
	sent := make(chan struct{})
	e.GET("/slow", func(c echo.Context) error {
		c.Response().WriteHeader(http.StatusOK)
		close(sending)
		<-sent // a slow client still taking the answer
		return nil
	})
	e.GET("/next", func(c echo.Context) error { return c.String(http.StatusOK, "next") })
	e.GET("/failing", func(c echo.Context) error { return errors.New("broken") })

	slow := make(chan struct{})
	go func() {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/slow", nil))
		close(slow)
	}()
	<-sending
	// A handler that fails without writing gives its turn back too.
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/failing", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("failing read: %d", rec.Code)
	}
	for range 2 {
		rec = httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/next", nil))
		if rec.Code != http.StatusOK || rec.Body.String() != "next" {
			t.Fatalf("a read while another's answer is being sent: %d %q", rec.Code, rec.Body)
		}
	}
	close(sent)
	<-slow
}
