package ceiling

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
)

// However the workers' requests interleave, no issue takes stock that its
// worker did not receive first, so a level never drops below where it
// started; every worker's last complete pair leaves the level unchanged.
func TestPairsNeverTakeMoreThanTheyPut(t *testing.T) {
	const workers = 8
	places := []Place{{1, 10}, {2, 10}, {2, 11}}
	r := rand.New(rand.NewPCG(1, 2))
	p := NewPairs(workers, func(w, seq int) Place { return places[(w+seq)%len(places)] })
	level := map[Place]int64{}
	seq := make([]int, workers)
	for range 10_000 {
		w := r.IntN(workers)
		place, receipt, qty := p.Next(w, seq[w])
		if receipt != (seq[w]%2 == 0) || qty < 1 {
			t.Fatalf("worker %d request %d: receipt %v, quantity %d", w, seq[w], receipt, qty)
		}
		seq[w]++
		if receipt {
			level[place] += qty
		} else {
			level[place] -= qty
		}
		if level[place] < 0 {
			t.Fatalf("level of %v went to %d", place, level[place])
		}
	}
	// Close every open pair: then all levels are back to zero.
	for w := range workers {
		if seq[w]%2 == 1 {
			place, _, qty := p.Next(w, seq[w])
			level[place] -= qty
		}
	}
	for place, l := range level {
		if l != 0 {
			t.Errorf("%v ends at %d after complete pairs", place, l)
		}
	}
}

func TestTrivialHandler(t *testing.T) {
	for _, path := range []string{"/healthz", "/api/v1/items?limit=50", "/"} {
		rec := httptest.NewRecorder()
		TrivialHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != 200 || rec.Body.String() != `{"ok":true}` || rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("GET %s = %d %q %q", path, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
	}
}
