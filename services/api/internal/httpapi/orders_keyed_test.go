package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
)

// The same delivery sent several times at once under one Idempotency-Key
// (a client retrying while the first is still running) books once, and
// every request gets the same answer: the key is claimed in the delivery's
// own transaction, so the retries wait for the first and then replay it,
// even with the If-Match that the first made stale.
func TestOrderDeliverRetriesRacingBookOnce(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	clerk := en.tokens[auth.RoleClerk]
	cust, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Restaurant Krone",
		"billing_address": map[string]any{"street": "Hauptgasse", "house_number": "1", "postal_code": "3000", "town": "Bern"}})
	if _, r := en.book(clerk, map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID,
		"quantity": 2, "unit": "package", "supplier_id": sup.ID}, nil); r.Status != 201 {
		t.Fatalf("receipt: %d %s", r.Status, r.Body)
	}
	var o orderOut
	r := en.do(req{method: "POST", path: "/api/v1/orders", token: clerk, body: map[string]any{"customer_id": cust.ID,
		"location_id": loc.ID, "lines": []map[string]any{{"item_id": item.ID, "quantity": 1, "unit": "package"}}}})
	r.decode(t, &o)
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	path := fmt.Sprintf("/api/v1/orders/%d", o.ID)
	r = en.do(req{method: "POST", path: path + "/confirm", token: clerk})
	r.decode(t, &o)
	if r.Status != 200 {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	movements := func() int {
		var n int
		if err := en.pool.QueryRow(context.Background(), `SELECT count(*) FROM movements`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := movements()

	const n = 8
	header := map[string]string{"Idempotency-Key": "deliver-1", "If-Match": fmt.Sprintf(`"%d"`, o.Version)}
	answers := make([]response, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			answers[i], _, _ = en.serve(req{method: "POST", path: path + "/deliver", token: clerk, body: map[string]any{}, header: header})
		}()
	}
	close(start)
	wg.Wait()

	replayed := 0
	for i, a := range answers {
		if a.Status != 200 || !bytes.Equal(a.Body, answers[0].Body) || a.Header.Get("ETag") != answers[0].Header.Get("ETag") {
			t.Errorf("answer %d: %d %s %s; want the first answer, %d %s %s", i, a.Status, a.Header.Get("ETag"), a.Body,
				answers[0].Status, answers[0].Header.Get("ETag"), answers[0].Body)
		}
		if a.Header.Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	if replayed != n-1 {
		t.Errorf("%d answers replayed, want all but the first (%d)", replayed, n-1)
	}
	if got := movements() - before; got != 1 {
		t.Errorf("the delivery booked %d movements, want 1", got)
	}
	var delivered orderOut
	answers[0].decode(t, &delivered)
	if delivered.Status != "DELIVERED" || delivered.Lines[0].MovementID == nil {
		t.Errorf("the answer: %s", answers[0].Body)
	}

	// The same key for another request is refused; a refused request keeps
	// no key, so its retry runs again.
	other := en.do(req{method: "POST", path: path + "/cancel", token: clerk, header: map[string]string{"Idempotency-Key": "deliver-1"}})
	if other.Status != 409 || other.errorCode() != "idempotency_mismatch" {
		t.Errorf("the key on a cancel: %d %s", other.Status, other.Body)
	}
	for range 2 {
		r := en.do(req{method: "POST", path: path + "/cancel", token: clerk, header: map[string]string{"Idempotency-Key": "cancel-1"}})
		if r.Status != 409 || r.errorCode() != "conflict" || r.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("cancel a delivered order: %d %s %s", r.Status, r.Header, r.Body)
		}
	}
	var keys int
	if err := en.pool.QueryRow(context.Background(), `SELECT count(*) FROM idempotency_keys WHERE key = 'cancel-1'`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != 0 {
		t.Errorf("a refused cancel kept its key")
	}
}
