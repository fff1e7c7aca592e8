package postgres_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/page"
)

// movementNames are the names a movement is read with.
type movementNames struct{ Supplier, Customer, BookedBy, Token string }

func namesOf(m ledger.Movement) movementNames {
	return movementNames{m.SupplierName, m.CustomerName, m.BookedByName, m.BookedWithToken}
}

// Every way a movement comes out of the store names its partner and who
// booked it, as they are named now; without a partner or a person the
// names are empty.
func TestLedgerMovementsCarryNames(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer := env.item(t, "LAGER", 24, 0)
	wh1, wh2 := env.location(t, "WH1"), env.location(t, "WH2")
	sup, cus := env.supplier(t, "Brauerei Falken"), env.customer(t, "Restaurant Krone")
	anna := env.insertID(t, `INSERT INTO users (email, name, role, password_hash) VALUES ('anna@example.ch', 'Anna Muster', 'clerk', 'x') RETURNING id`)
	token := env.insertID(t, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, scope, expires_at)
		VALUES ($1, 'Scanner Rampe', sha256('n'), 'dpx_', 'write', now() + interval '1 day') RETURNING id`, anna)
	person := audit.Actor{UserID: anna, RequestID: "req-person"}
	scanner := audit.Actor{UserID: anna, TokenID: token, RequestID: "req-token"}
	system := audit.Actor{RequestID: "req-system"}

	book := func(actor audit.Actor, in ledger.Input) ledger.Movement {
		t.Helper()
		m, err := env.svc.CreateMovement(ctx, actor, in)
		if err != nil {
			t.Fatalf("book %+v: %v", in, err)
		}
		return m
	}
	receipt := book(person, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 100, SupplierID: &sup})
	issue := book(scanner, ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh1, Quantity: 10, CustomerID: &cus})
	transfer := book(system, ledger.Input{Type: ledger.Transfer, ItemID: beer, LocationID: wh1, ToLocationID: &wh2, Quantity: 5})
	reversal, err := env.svc.Reverse(ctx, person, issue.ID, ledger.ReversalInput{Reason: "falsch"})
	if err != nil {
		t.Fatal(err)
	}
	delivery, err := env.svc.CreateReceipt(ctx, scanner, ledger.ReceiptInput{SupplierID: sup, Reference: "LS 7",
		Lines: []ledger.ReceiptLine{{ItemID: beer, LocationID: wh2, Quantity: 3}}})
	if err != nil {
		t.Fatal(err)
	}

	want := map[int64]movementNames{
		receipt.ID:     {Supplier: "Brauerei Falken", BookedBy: "Anna Muster"},
		issue.ID:       {Customer: "Restaurant Krone", BookedBy: "Anna Muster", Token: "Scanner Rampe"},
		transfer.ID:    {},
		reversal.ID:    {Customer: "Restaurant Krone", BookedBy: "Anna Muster"},
		delivery[0].ID: {Supplier: "Brauerei Falken", BookedBy: "Anna Muster", Token: "Scanner Rampe"},
	}
	for _, m := range []ledger.Movement{receipt, issue, transfer, reversal, delivery[0]} {
		if diff := cmp.Diff(want[m.ID], namesOf(m)); diff != "" {
			t.Errorf("booked %s %d: names (-want +got):\n%s", m.Type, m.ID, diff)
		}
	}
	if transfer.ToLocationCode == nil || *transfer.ToLocationCode != "WH2" {
		t.Errorf("transfer's target = %v, want WH2", transfer.ToLocationCode)
	}

	// Read back: the names as they are now.
	env.exec(t, "UPDATE suppliers SET name = 'Brauerei Falken AG' WHERE id = $1", sup)
	want[receipt.ID] = movementNames{Supplier: "Brauerei Falken AG", BookedBy: "Anna Muster"}
	want[delivery[0].ID] = movementNames{Supplier: "Brauerei Falken AG", BookedBy: "Anna Muster", Token: "Scanner Rampe"}

	list := try(env.svc.ListMovements(ctx, ledger.Filter{}, page.Request{Limit: 10})).must(t).Items
	if len(list) != len(want) {
		t.Fatalf("journal has %d movements, want %d", len(list), len(want))
	}
	for _, m := range list {
		if diff := cmp.Diff(want[m.ID], namesOf(m)); diff != "" {
			t.Errorf("journal %s %d: names (-want +got):\n%s", m.Type, m.ID, diff)
		}
		one, err := env.svc.Movement(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want[m.ID], namesOf(one)); diff != "" {
			t.Errorf("movement %d: names (-want +got):\n%s", m.ID, diff)
		}
	}
	exported := 0
	if err := env.store.EachMovement(ctx, ledger.Filter{}, func(r ledger.JournalRow) error {
		exported++
		if diff := cmp.Diff(want[r.ID], namesOf(r.Movement)); diff != "" {
			t.Errorf("export %d: names (-want +got):\n%s", r.ID, diff)
		}
		if wantEmail := r.BookedByName != ""; (r.UserEmail == "anna@example.ch") != wantEmail {
			t.Errorf("export %d: email %q", r.ID, r.UserEmail)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if exported != len(want) {
		t.Errorf("exported %d movements, want %d", exported, len(want))
	}
}
