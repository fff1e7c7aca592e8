package postgres_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/sales"
	"github.com/depotix/depotix/services/api/internal/salespdf"
)

// The delivery note's read brings the order with the company profile, the
// logo's bytes, the empties' unit names and the reader's language; the
// service refuses a DRAFT and maps the rest, dated the delivery day.
func TestOrderDeliveryNote(t *testing.T) {
	env := newOrders(t)
	ctx := context.Background()
	store := postgres.NewOrderStore(env.pool)
	cust, wh := env.customer(t, "Bar Rössli"), env.location(t, "WH")
	beer := env.saleItem(t, "LAGER")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 48, Unit: catalogue.UnitBase, Note: "opening stock"})
	o := env.create(t, cust, wh, sales.LineInput{ItemID: beer, Quantity: 1, Unit: catalogue.UnitPackage},
		sales.LineInput{ItemID: beer, Quantity: 6})
	reader := env.user(t, "reader@depot.example")
	env.exec(t, `UPDATE users SET language = 'en' WHERE id = $1`, reader)
	logo := []byte("\x89PNG\r\n\x1a\n stand-in bytes")
	sum := sha256.Sum256(logo)
	file := env.insertID(t, `INSERT INTO files (owner_kind, owner_id, content_type, size, sha256, name, content)
		VALUES ('company_logo', 1, 'image/png', $1, $2, 'logo.png', $3) RETURNING id`, len(logo), sum[:], logo)
	env.exec(t, `UPDATE organisation SET name = 'Getränke Müller GmbH', postal_code = '8400', town = 'Winterthur',
		invoice_footer = 'Danke!', logo_file_id = $1`, file)

	if _, err := env.orders.DeliveryNote(ctx, o.ID, reader); !isCode(err, apperr.CodeConflict) {
		t.Fatalf("a DRAFT's note: %v, want a conflict", err)
	}
	if _, err := env.orders.DeliveryNote(ctx, o.ID+999, reader); !isCode(err, apperr.CodeNotFound) {
		t.Fatalf("a missing order: %v, want not found", err)
	}
	if _, err := env.orders.Confirm(ctx, stockClerk, o.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := env.orders.Deliver(ctx, stockClerk, o.ID, 0, sales.DeliveryInput{Delivered: []int64{1, 4},
		Empties: []sales.EmptiesInput{{ItemID: beer, Unit: catalogue.UnitPackage, Quantity: 2}}}); err != nil {
		t.Fatal(err)
	}

	src, err := store.DeliveryNote(ctx, o.ID, reader)
	if err != nil {
		t.Fatal(err)
	}
	if src.Order.Number != o.Number || src.Company.Name != "Getränke Müller GmbH" || !bytes.Equal(src.Logo, logo) ||
		src.Language != "en" || src.EmptiesUnits[beer] != (orders.ItemUnits{Base: "bottle", Package: "crate"}) {
		t.Fatalf("source = %+v", src)
	}
	// Someone without a row (a token's owner deleted): German.
	if src, err := store.DeliveryNote(ctx, o.ID, 0); err != nil || src.Language != "" {
		t.Fatalf("without a reader: %q %v", src.Language, err)
	}

	dn, err := env.orders.DeliveryNote(ctx, o.ID, reader)
	if err != nil {
		t.Fatal(err)
	}
	// Dated the delivery's day (the database's clock stamps it), in the
	// service's zone (UTC here).
	var deliveredAt time.Time
	if err := env.pool.QueryRow(ctx, "SELECT delivered_at FROM orders WHERE id = $1", o.ID).Scan(&deliveredAt); err != nil {
		t.Fatal(err)
	}
	y, m, d := deliveredAt.UTC().Date()
	if dn.Language != salespdf.English || dn.OrderNumber != o.Number || dn.Date != time.Date(y, m, d, 0, 0, 0, 0, time.UTC) ||
		dn.Letterhead.LogoType != "image/png" || dn.Letterhead.Footer != "Danke!" || dn.ShipTo.Name != "Bar Rössli" {
		t.Errorf("note = %+v", dn)
	}
	if len(dn.Lines) != 2 || dn.Lines[0].Unit != "crate" || dn.Lines[1].Unit != "bottle" || dn.Lines[0].Ordered != 1 ||
		dn.Lines[1].Delivered == nil || *dn.Lines[1].Delivered != 4 {
		t.Errorf("lines = %+v", dn.Lines)
	}
	if len(dn.Empties) != 1 || dn.Empties[0].Unit != "crate" || dn.Empties[0].Quantity != 2 {
		t.Errorf("empties = %+v", dn.Empties)
	}
}

func isCode(err error, code apperr.Code) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == code
}
