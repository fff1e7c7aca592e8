package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

// clerk is the actor of the catalogue tests: no user row, so user_id is NULL.
var clerk = audit.Actor{RequestID: "req-catalogue"}

type catalogueEnv struct {
	pool  *pgxpool.Pool
	store *postgres.CatalogueStore
	svc   *catalogue.Service
}

func newCatalogue(t *testing.T) catalogueEnv {
	t.Helper()
	pool := pgtest.Pool(t)
	store := postgres.NewCatalogueStore(pool)
	return catalogueEnv{pool: pool, store: store, svc: catalogue.NewService(store)}
}

func ptr[T any](v T) *T { return &v }

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// result carries a call's two results to must, so that a call can be
// checked inline: v := try(f()).must(t).
type result[T any] struct {
	v   T
	err error
}

func try[T any](v T, err error) result[T] { return result[T]{v, err} }

func (r result[T]) must(t testing.TB) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

// wantCode checks err is a domain error with code and returns it.
func wantCode(t testing.TB, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("err = %v, want code %s", err, code)
	}
	return e
}

// wantField checks err is a domain error with code naming field.
func wantField(t testing.TB, err error, code apperr.Code, field, message string) {
	t.Helper()
	e := wantCode(t, err, code)
	if got, ok := e.Fields[field]; !ok || (message != "" && got.Message != message) {
		t.Fatalf("fields = %v, want %s: %q", e.Fields, field, message)
	}
}

type trailEntry struct {
	Action  string
	Changes map[string]audit.Change
}

// trail returns the audit records of one entity, oldest first.
func trail(t testing.TB, pool *pgxpool.Pool, entity, id string) []trailEntry {
	t.Helper()
	rows, _ := pool.Query(context.Background(),
		"SELECT action, changes FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id", entity, id)
	return try(pgx.CollectRows(rows, func(row pgx.CollectableRow) (trailEntry, error) {
		var e trailEntry
		err := row.Scan(&e.Action, &e.Changes)
		return e, err
	})).must(t)
}

func auditCount(t testing.TB, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM audit_log").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func itemFields(sku, name string) catalogue.ItemFields {
	f := catalogue.DefaultItemFields()
	f.SKU, f.Name, f.BaseUnit = sku, name, "bottle"
	return f
}

func customerFields(name string) catalogue.CustomerFields {
	f := catalogue.DefaultCustomerFields()
	f.Name = name
	f.BillingAddress.PostalCode, f.BillingAddress.Town = "8001", "Zürich"
	return f
}

// record is what the lifecycle test needs to know of any entity.
type record struct {
	version  int
	archived bool
}

func recordOf(version int, archivedAt *time.Time, err error) (record, error) {
	return record{version, archivedAt != nil}, err
}

// lifecycle drives one entity through every write the service offers.
type lifecycle struct {
	entity  string
	create  func(t *testing.T) int64
	get     func(id int64) (record, error)
	update  func(id int64, version int) error // changes one field
	changed map[string]audit.Change           // the diff update leaves
	setNull func(t *testing.T, id int64)      // patches nullable fields to null; nil if none
	archive func(id int64, version int) error
	restore func(id int64, version int) error
	delete  func(id int64, version int) error
}

func TestCatalogueLifecycles(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc

	for _, lc := range []lifecycle{
		{
			entity: "category",
			create: func(t *testing.T) int64 {
				return try(svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Mineralwasser"})).must(t).ID
			},
			get: func(id int64) (record, error) {
				c, err := svc.GetCategory(ctx, id)
				return recordOf(c.Version, c.ArchivedAt, err)
			},
			update: func(id int64, v int) error {
				_, err := svc.UpdateCategory(ctx, clerk, id, v, catalogue.CategoryPatch{Name: ptr("Wasser")})
				return err
			},
			changed: map[string]audit.Change{"name": {From: "Mineralwasser", To: "Wasser"}},
			archive: func(id int64, v int) error { _, err := svc.ArchiveCategory(ctx, clerk, id, v); return err },
			restore: func(id int64, v int) error { _, err := svc.RestoreCategory(ctx, clerk, id, v); return err },
			delete:  func(id int64, v int) error { return svc.DeleteCategory(ctx, clerk, id, v) },
		},
		{
			entity: "supplier",
			create: func(t *testing.T) int64 {
				f := catalogue.DefaultSupplierFields()
				f.Name, f.Address.Town = "Mineralquellen AG", "Vals"
				return try(svc.CreateSupplier(ctx, clerk, f)).must(t).ID
			},
			get: func(id int64) (record, error) {
				s, err := svc.GetSupplier(ctx, id)
				return recordOf(s.Version, s.ArchivedAt, err)
			},
			update: func(id int64, v int) error {
				_, err := svc.UpdateSupplier(ctx, clerk, id, v, catalogue.SupplierPatch{PaymentTermsDays: ptr(60)})
				return err
			},
			changed: map[string]audit.Change{"payment_terms_days": {From: 30.0, To: 60.0}},
			archive: func(id int64, v int) error { _, err := svc.ArchiveSupplier(ctx, clerk, id, v); return err },
			restore: func(id int64, v int) error { _, err := svc.RestoreSupplier(ctx, clerk, id, v); return err },
			delete:  func(id int64, v int) error { return svc.DeleteSupplier(ctx, clerk, id, v) },
		},
		{
			entity: "customer",
			create: func(t *testing.T) int64 {
				f := customerFields("Restaurant Sonne")
				f.DeliveryAddress = &catalogue.Address{Street: "Hinterhof", PostalCode: "8002", Town: "Zürich"}
				f.CreditLimit = ptr(money.Amount(100000))
				return try(svc.CreateCustomer(ctx, clerk, f)).must(t).ID
			},
			get: func(id int64) (record, error) {
				c, err := svc.GetCustomer(ctx, id)
				return recordOf(c.Version, c.ArchivedAt, err)
			},
			update: func(id int64, v int) error {
				_, err := svc.UpdateCustomer(ctx, clerk, id, v, catalogue.CustomerPatch{CreditLimit: catalogue.SetTo(money.Amount(250000))})
				return err
			},
			changed: map[string]audit.Change{"credit_limit": {From: 100000.0, To: 250000.0}},
			setNull: func(t *testing.T, id int64) {
				c := try(svc.UpdateCustomer(ctx, clerk, id, 0, catalogue.CustomerPatch{
					DeliveryAddress: catalogue.SetNull[catalogue.Address](), CreditLimit: catalogue.SetNull[money.Amount](),
				})).must(t)
				if c.DeliveryAddress != nil || c.CreditLimit != nil {
					t.Errorf("after patching to null: delivery %v, credit limit %v", c.DeliveryAddress, c.CreditLimit)
				}
			},
			archive: func(id int64, v int) error { _, err := svc.ArchiveCustomer(ctx, clerk, id, v); return err },
			restore: func(id int64, v int) error { _, err := svc.RestoreCustomer(ctx, clerk, id, v); return err },
			delete:  func(id int64, v int) error { return svc.DeleteCustomer(ctx, clerk, id, v) },
		},
		{
			entity: "location",
			create: func(t *testing.T) int64 {
				wh := try(svc.CreateLocation(ctx, clerk, catalogue.LocationFields{Code: "LC-WH", Name: "Lager", Kind: catalogue.Warehouse})).must(t)
				return try(svc.CreateLocation(ctx, clerk, catalogue.LocationFields{ParentID: &wh.ID, Code: "LC-Z", Name: "Zone", Kind: catalogue.Zone})).must(t).ID
			},
			get: func(id int64) (record, error) {
				l, err := svc.GetLocation(ctx, id)
				return recordOf(l.Version, l.ArchivedAt, err)
			},
			update: func(id int64, v int) error {
				_, err := svc.UpdateLocation(ctx, clerk, id, v, catalogue.LocationPatch{Code: ptr("LC-Z1")})
				return err
			},
			changed: map[string]audit.Change{"code": {From: "LC-Z", To: "LC-Z1"}},
			setNull: func(t *testing.T, id int64) {
				l := try(svc.UpdateLocation(ctx, clerk, id, 0, catalogue.LocationPatch{ParentID: catalogue.SetNull[int64]()})).must(t)
				if l.ParentID != nil {
					t.Errorf("parent_id = %d after patching to null", *l.ParentID)
				}
			},
			archive: func(id int64, v int) error { _, err := svc.ArchiveLocation(ctx, clerk, id, v); return err },
			restore: func(id int64, v int) error { _, err := svc.RestoreLocation(ctx, clerk, id, v); return err },
			delete:  func(id int64, v int) error { return svc.DeleteLocation(ctx, clerk, id, v) },
		},
		{
			entity: "item",
			create: func(t *testing.T) int64 {
				cat := try(svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Items lifecycle"})).must(t)
				f := itemFields("LC-1", "Valser Classic")
				f.CategoryID, f.EANUnit = &cat.ID, ptr("7610029000009")
				return try(svc.CreateItem(ctx, clerk, f)).must(t).ID
			},
			get: func(id int64) (record, error) {
				i, err := svc.GetItem(ctx, id)
				return recordOf(i.Version, i.ArchivedAt, err)
			},
			update: func(id int64, v int) error {
				_, err := svc.UpdateItem(ctx, clerk, id, v, catalogue.ItemPatch{Name: ptr("Valser Classic 1.5 l"), SalesPriceUnit: ptr(money.Amount(150))})
				return err
			},
			changed: map[string]audit.Change{
				"name":             {From: "Valser Classic", To: "Valser Classic 1.5 l"},
				"sales_price_unit": {From: 0.0, To: 150.0},
			},
			setNull: func(t *testing.T, id int64) {
				i := try(svc.UpdateItem(ctx, clerk, id, 0, catalogue.ItemPatch{EANUnit: catalogue.SetNull[string](), CategoryID: catalogue.SetNull[int64]()})).must(t)
				if i.EANUnit != nil || i.CategoryID != nil {
					t.Errorf("after patching to null: ean_unit %v, category_id %v", i.EANUnit, i.CategoryID)
				}
			},
			archive: func(id int64, v int) error { _, err := svc.ArchiveItem(ctx, clerk, id, v); return err },
			restore: func(id int64, v int) error { _, err := svc.RestoreItem(ctx, clerk, id, v); return err },
			delete:  func(id int64, v int) error { return svc.DeleteItem(ctx, clerk, id, v) },
		},
	} {
		t.Run(lc.entity, func(t *testing.T) {
			id := lc.create(t)
			sid := strconv.FormatInt(id, 10)
			current := func() record {
				t.Helper()
				return try(lc.get(id)).must(t)
			}
			if r := current(); r != (record{version: 1}) {
				t.Fatalf("new record %+v", r)
			}

			if err := lc.update(id, 1); err != nil {
				t.Fatal(err)
			}
			if r := current(); r.version != 2 {
				t.Fatalf("version after update = %d, want 2", r.version)
			}
			entries := trail(t, env.pool, lc.entity, sid)
			if len(entries) != 2 || entries[0].Action != audit.ActionCreate || len(entries[0].Changes) == 0 {
				t.Fatalf("trail after create and update: %+v", entries)
			}
			if diff := cmp.Diff(trailEntry{audit.ActionUpdate, lc.changed}, entries[1]); diff != "" {
				t.Errorf("update audit record:\n%s", diff)
			}

			// A stale version is refused by every write and leaves no trace.
			wantCode(t, lc.update(id, 1), apperr.CodePrecondition)
			wantCode(t, lc.archive(id, 1), apperr.CodePrecondition)
			wantCode(t, lc.delete(id, 1), apperr.CodePrecondition)
			// The same patch again changes nothing: no new version, no record.
			if err := lc.update(id, 0); err != nil {
				t.Fatal(err)
			}
			if r := current(); r.version != 2 {
				t.Errorf("an update that changes nothing bumped the version to %d", r.version)
			}
			if got := len(trail(t, env.pool, lc.entity, sid)); got != 2 {
				t.Errorf("refused or empty writes left audit records: %d entries", got)
			}

			if lc.setNull != nil {
				lc.setNull(t, id)
			}

			v := current().version
			if err := lc.archive(id, v); err != nil {
				t.Fatal(err)
			}
			r := current()
			if !r.archived || r.version != v+1 {
				t.Fatalf("after archive: %+v", r)
			}
			if err := lc.archive(id, 0); err != nil || current() != r {
				t.Errorf("archiving twice: %v, %+v", err, current())
			}
			if err := lc.restore(id, r.version); err != nil {
				t.Fatal(err)
			}
			r = current()
			if r.archived {
				t.Fatal("still archived after restore")
			}
			if err := lc.delete(id, r.version); err != nil {
				t.Fatal(err)
			}
			_, err := lc.get(id)
			wantCode(t, err, apperr.CodeNotFound)
			wantCode(t, lc.update(id, 0), apperr.CodeNotFound)
			wantCode(t, lc.delete(id, 0), apperr.CodeNotFound)

			var actions []string
			for _, e := range trail(t, env.pool, lc.entity, sid) {
				actions = append(actions, e.Action)
			}
			want := []string{"create", "update"}
			if lc.setNull != nil {
				want = append(want, "update")
			}
			want = append(want, "archive", "restore", "delete")
			if diff := cmp.Diff(want, actions); diff != "" {
				t.Errorf("audit actions:\n%s", diff)
			}
		})
	}
}

func TestCatalogueUniqueViolationsNameTheField(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc

	try(svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Bier"})).must(t)
	try(svc.CreateLocation(ctx, clerk, catalogue.LocationFields{Code: "wh1", Name: "Lager", Kind: catalogue.Warehouse})).must(t)
	first := itemFields("val-1", "Valser")
	first.EANUnit = ptr("7610029000009")
	first.PackageUnit, first.PackageSize, first.EANPackage = ptr("crate"), ptr[int64](6), ptr("4006381333931")
	first.PalletSize, first.EANPallet = ptr[int64](40), ptr("17610000000025")
	try(svc.CreateItem(ctx, clerk, first)).must(t)
	other := try(svc.CreateItem(ctx, clerk, itemFields("OTHER", "Other"))).must(t)

	for _, tc := range []struct {
		name  string
		write func() error
		field string
	}{
		{"category name ignoring case", func() error {
			_, err := svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "BIER"})
			return err
		}, "name"},
		{"location code ignoring case", func() error {
			_, err := svc.CreateLocation(ctx, clerk, catalogue.LocationFields{Code: "WH1", Name: "Zweitlager", Kind: catalogue.Warehouse})
			return err
		}, "code"},
		{"item sku ignoring case", func() error {
			_, err := svc.CreateItem(ctx, clerk, itemFields("VAL-1", "Valser again"))
			return err
		}, "sku"},
		{"unit EAN", func() error {
			f := itemFields("VAL-2", "Valser again")
			f.EANUnit = ptr("7610029000009")
			_, err := svc.CreateItem(ctx, clerk, f)
			return err
		}, "ean_unit"},
		{"package EAN", func() error {
			f := itemFields("VAL-3", "Valser again")
			f.PackageUnit, f.PackageSize, f.EANPackage = ptr("crate"), ptr[int64](12), ptr("4006381333931")
			_, err := svc.CreateItem(ctx, clerk, f)
			return err
		}, "ean_package"},
		{"pallet EAN", func() error {
			f := itemFields("VAL-4", "Valser again")
			f.PackageUnit, f.PackageSize, f.PalletSize, f.EANPallet = ptr("crate"), ptr[int64](12), ptr[int64](50), ptr("17610000000025")
			_, err := svc.CreateItem(ctx, clerk, f)
			return err
		}, "ean_pallet"},
		// A code names one item and one unit: also across the columns.
		{"unit EAN that is another item's package EAN", func() error {
			f := itemFields("VAL-5", "Valser again")
			f.EANUnit = ptr("4006381333931")
			_, err := svc.CreateItem(ctx, clerk, f)
			return err
		}, "ean_unit"},
		{"pallet EAN that is another item's unit EAN", func() error {
			f := itemFields("VAL-6", "Valser again")
			f.PackageUnit, f.PackageSize, f.PalletSize, f.EANPallet = ptr("crate"), ptr[int64](12), ptr[int64](50), ptr("7610029000009")
			_, err := svc.CreateItem(ctx, clerk, f)
			return err
		}, "ean_pallet"},
		{"package EAN on update that is another item's pallet EAN", func() error {
			_, err := svc.UpdateItem(ctx, clerk, other.ID, other.Version, catalogue.ItemPatch{
				PackageUnit: catalogue.SetTo("crate"), PackageSize: catalogue.SetTo[int64](6), EANPackage: catalogue.SetTo("17610000000025")})
			return err
		}, "ean_package"},
		{"sku on update", func() error {
			_, err := svc.UpdateItem(ctx, clerk, other.ID, other.Version, catalogue.ItemPatch{SKU: ptr("Val-1")})
			return err
		}, "sku"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := auditCount(t, env.pool)
			wantField(t, tc.write(), apperr.CodeConflict, tc.field, "is already taken")
			if after := auditCount(t, env.pool); after != before {
				t.Errorf("a refused write left %d audit records", after-before)
			}
		})
	}
	if got := try(svc.GetItem(ctx, other.ID)).must(t); got.SKU != "OTHER" || got.Version != 1 {
		t.Errorf("refused update changed the item: %+v", got)
	}
	// A scanned pallet code finds its item, as the other codes do.
	found := try(svc.ListItems(ctx, catalogue.ListQuery{Q: "17610000000025"}, catalogue.ItemFilter{})).must(t)
	if len(found.Items) != 1 || found.Items[0].SKU != "val-1" || found.Items[0].EANPallet == nil {
		t.Errorf("search by the pallet code found %+v", found.Items)
	}
	// The codes an item gives up are free again, in any column.
	first2 := try(svc.ListItems(ctx, catalogue.ListQuery{Q: "val-1"}, catalogue.ItemFilter{})).must(t).Items[0]
	try(svc.UpdateItem(ctx, clerk, first2.ID, first2.Version, catalogue.ItemPatch{EANPallet: catalogue.SetNull[string]()})).must(t)
	try(svc.UpdateItem(ctx, clerk, other.ID, other.Version, catalogue.ItemPatch{EANUnit: catalogue.SetTo("17610000000025")})).must(t)
}

func TestCatalogueDeleteWhenReferencedIsConflict(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc

	cat := try(svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Wasser"})).must(t)
	preferred := try(svc.CreateSupplier(ctx, clerk, catalogue.SupplierFields{Name: "Quelle AG"})).must(t)
	linked := try(svc.CreateSupplier(ctx, clerk, catalogue.SupplierFields{Name: "Getränke Müller"})).must(t)
	f := itemFields("W-1", "Wasser")
	f.CategoryID, f.PreferredSupplierID = &cat.ID, &preferred.ID
	item := try(svc.CreateItem(ctx, clerk, f)).must(t)
	try(svc.AddItemSupplier(ctx, clerk, item.ID, linked.ID, catalogue.ItemSupplierFields{SupplierSKU: "GM-77", Price: ptr(money.Amount(480))})).must(t)
	wh := try(svc.CreateLocation(ctx, clerk, catalogue.LocationFields{Code: "WH", Name: "Lager", Kind: catalogue.Warehouse})).must(t)
	try(svc.CreateLocation(ctx, clerk, catalogue.LocationFields{ParentID: &wh.ID, Code: "WH-A", Name: "Zone A", Kind: catalogue.Zone})).must(t)

	for _, tc := range []struct {
		name string
		del  func() error
		noun string
	}{
		{"category used by an item", func() error { return svc.DeleteCategory(ctx, clerk, cat.ID, 0) }, "category"},
		{"preferred supplier", func() error { return svc.DeleteSupplier(ctx, clerk, preferred.ID, 0) }, "supplier"},
		{"supplier linked to an item", func() error { return svc.DeleteSupplier(ctx, clerk, linked.ID, 0) }, "supplier"},
		{"location with children", func() error { return svc.DeleteLocation(ctx, clerk, wh.ID, 0) }, "location"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := auditCount(t, env.pool)
			e := wantCode(t, tc.del(), apperr.CodeConflict)
			if want := "This " + tc.noun + " is in use; archive it instead."; e.Message != want {
				t.Errorf("message %q, want %q", e.Message, want)
			}
			if auditCount(t, env.pool) != before {
				t.Error("a refused delete left an audit record")
			}
		})
	}

	// The item goes, and its supplier link with it, each in the trail.
	noErr(t, svc.DeleteItem(ctx, clerk, item.ID, 0))
	if _, err := svc.GetItemSupplier(ctx, item.ID, linked.ID); err == nil {
		t.Error("the link outlived its item")
	}
	linkTrail := trail(t, env.pool, "item_supplier", strconv.FormatInt(item.ID, 10)+":"+strconv.FormatInt(linked.ID, 10))
	want := []trailEntry{
		{audit.ActionCreate, map[string]audit.Change{
			"item_id": {To: float64(item.ID)}, "supplier_id": {To: float64(linked.ID)},
			"supplier_sku": {To: "GM-77"}, "price": {To: 480.0},
		}},
		{audit.ActionDelete, map[string]audit.Change{
			"item_id": {From: float64(item.ID)}, "supplier_id": {From: float64(linked.ID)},
			"supplier_sku": {From: "GM-77"}, "price": {From: 480.0},
		}},
	}
	if diff := cmp.Diff(want, linkTrail); diff != "" {
		t.Errorf("link trail:\n%s", diff)
	}
	// Now nothing refers to them: they can go.
	noErr(t, svc.DeleteCategory(ctx, clerk, cat.ID, 0))
	noErr(t, svc.DeleteSupplier(ctx, clerk, preferred.ID, 0))
	noErr(t, svc.DeleteSupplier(ctx, clerk, linked.ID, 0))
}

func TestCatalogueArchivedRecordsCannotBeNewlyReferenced(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc

	cat := try(svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Saisonal"})).must(t)
	sup := try(svc.CreateSupplier(ctx, clerk, catalogue.SupplierFields{Name: "Alte Brauerei"})).must(t)
	f := itemFields("BEER-1", "Winterbier")
	f.CategoryID, f.PreferredSupplierID = &cat.ID, &sup.ID
	f.ABV, f.Alcoholic = ptr(52), true
	item := try(svc.CreateItem(ctx, clerk, f)).must(t)
	wh := try(svc.CreateLocation(ctx, clerk, catalogue.LocationFields{Code: "OLD", Name: "Altes Lager", Kind: catalogue.Warehouse})).must(t)

	try(svc.ArchiveCategory(ctx, clerk, cat.ID, 0)).must(t)
	try(svc.ArchiveSupplier(ctx, clerk, sup.ID, 0)).must(t)
	try(svc.ArchiveLocation(ctx, clerk, wh.ID, 0)).must(t)

	// What already refers to them keeps working.
	item = try(svc.UpdateItem(ctx, clerk, item.ID, item.Version, catalogue.ItemPatch{Name: ptr("Winterbier 2025")})).must(t)
	if *item.CategoryID != cat.ID || *item.PreferredSupplierID != sup.ID {
		t.Fatalf("references lost: %+v", item)
	}
	other := try(svc.CreateItem(ctx, clerk, itemFields("BEER-2", "Sommerbier"))).must(t)

	for _, tc := range []struct {
		name, field, message string
		write                func() error
	}{
		{"new item in an archived category", "category_id", "is archived", func() error {
			g := itemFields("BEER-3", "Frühlingsbier")
			g.CategoryID = &cat.ID
			_, err := svc.CreateItem(ctx, clerk, g)
			return err
		}},
		{"item moved into an archived category", "category_id", "is archived", func() error {
			_, err := svc.UpdateItem(ctx, clerk, other.ID, 0, catalogue.ItemPatch{CategoryID: catalogue.SetTo(cat.ID)})
			return err
		}},
		{"missing category", "category_id", "does not exist", func() error {
			_, err := svc.UpdateItem(ctx, clerk, other.ID, 0, catalogue.ItemPatch{CategoryID: catalogue.SetTo[int64](987654)})
			return err
		}},
		{"archived preferred supplier", "preferred_supplier_id", "is archived", func() error {
			_, err := svc.UpdateItem(ctx, clerk, other.ID, 0, catalogue.ItemPatch{PreferredSupplierID: catalogue.SetTo(sup.ID)})
			return err
		}},
		{"link to an archived supplier", "supplier_id", "is archived", func() error {
			_, err := svc.AddItemSupplier(ctx, clerk, other.ID, sup.ID, catalogue.ItemSupplierFields{})
			return err
		}},
		{"link to a missing supplier", "supplier_id", "does not exist", func() error {
			_, err := svc.AddItemSupplier(ctx, clerk, other.ID, 987654, catalogue.ItemSupplierFields{})
			return err
		}},
		{"location in an archived warehouse", "parent_id", "is archived", func() error {
			_, err := svc.CreateLocation(ctx, clerk, catalogue.LocationFields{ParentID: &wh.ID, Code: "OLD-A", Name: "Zone", Kind: catalogue.Zone})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, tc.write(), apperr.CodeValidation, tc.field, tc.message)
		})
	}

	// Restored, they can be used again.
	try(svc.RestoreCategory(ctx, clerk, cat.ID, 0)).must(t)
	other = try(svc.UpdateItem(ctx, clerk, other.ID, 0, catalogue.ItemPatch{CategoryID: catalogue.SetTo(cat.ID)})).must(t)
	if other.CategoryID == nil || *other.CategoryID != cat.ID {
		t.Errorf("category not set after restore: %v", other.CategoryID)
	}
	_, err := svc.AddItemSupplier(ctx, clerk, 987654, sup.ID, catalogue.ItemSupplierFields{})
	wantCode(t, err, apperr.CodeNotFound)
}

func TestCatalogueCustomerNumbers(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc

	first := try(svc.CreateCustomer(ctx, clerk, customerFields("Hotel Post"))).must(t)
	if first.Number != 1000 {
		t.Fatalf("first customer number %d, want 1000", first.Number)
	}
	// An insert that fails in the database still used up a number.
	bad := customerFields("Bar Luna")
	bad.Currency = "USD"
	if _, err := env.store.CreateCustomer(ctx, clerk, bad); err == nil {
		t.Fatal("the database accepted currency USD")
	}
	second := try(svc.CreateCustomer(ctx, clerk, customerFields("Bar Luna"))).must(t)
	if second.Number != 1002 {
		t.Fatalf("number after a failed insert = %d, want 1002", second.Number)
	}
	noErr(t, svc.DeleteCustomer(ctx, clerk, second.ID, 0))
	third := try(svc.CreateCustomer(ctx, clerk, customerFields("Café Stern"))).must(t)
	if third.Number != 1003 {
		t.Fatalf("number after a delete = %d, want 1003 (numbers are never reused)", third.Number)
	}
	// Updates keep the number; the database refuses to change it.
	first = try(svc.UpdateCustomer(ctx, clerk, first.ID, 0, catalogue.CustomerPatch{Name: ptr("Hotel Post & Bar")})).must(t)
	if first.Number != 1000 {
		t.Errorf("number changed on update: %d", first.Number)
	}
	if _, err := env.pool.Exec(ctx, "UPDATE customers SET number = 5000 WHERE id = $1", first.ID); err == nil {
		t.Error("the database let a customer number change")
	}
	page := try(svc.ListCustomers(ctx, catalogue.ListQuery{Sort: "-number"})).must(t)
	var numbers []int64
	for _, c := range page.Items {
		numbers = append(numbers, c.Number)
	}
	if diff := cmp.Diff([]int64{1003, 1000}, numbers); diff != "" {
		t.Errorf("customers by number, descending:\n%s", diff)
	}
}

func TestCatalogueLocationTree(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc
	loc := func(parent *int64, code string, kind catalogue.LocationKind) catalogue.Location {
		t.Helper()
		return try(svc.CreateLocation(ctx, clerk, catalogue.LocationFields{ParentID: parent, Code: code, Name: code, Kind: kind})).must(t)
	}
	wh := loc(nil, "WH1", catalogue.Warehouse)
	a := loc(&wh.ID, "WH1-A", catalogue.Zone)
	b := loc(&a.ID, "WH1-A-B", catalogue.Zone)
	c := loc(&b.ID, "WH1-A-B-C", catalogue.Zone)
	bin := loc(&c.ID, "WH1-A-03", catalogue.Bin)

	move := func(id, parent int64) error {
		_, err := svc.UpdateLocation(ctx, clerk, id, 0, catalogue.LocationPatch{ParentID: catalogue.SetTo(parent)})
		return err
	}
	for _, tc := range []struct {
		name, field, message string
		err                  error
	}{
		{"under its grandchild", "parent_id", "is inside this location; the tree must not have cycles", move(a.ID, c.ID)},
		{"under its child", "parent_id", "is inside this location; the tree must not have cycles", move(a.ID, b.ID)},
		{"under itself", "parent_id", "must not be the location itself", move(b.ID, b.ID)},
		{"under a bin", "parent_id", "is a bin; bins hold no other locations", move(c.ID, bin.ID)},
		{"under a missing location", "parent_id", "does not exist", move(c.ID, 987654)},
		{"warehouse under a zone", "parent_id", "", move(wh.ID, a.ID)},
		{"zone with children becomes a bin", "kind", "cannot be bin: this location holds other locations", func() error {
			_, err := svc.UpdateLocation(ctx, clerk, c.ID, 0, catalogue.LocationPatch{Kind: ptr(catalogue.Bin)})
			return err
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, tc.err, apperr.CodeValidation, tc.field, tc.message)
		})
	}
	// A legal move: C up to the warehouse, then B under C (no longer its ancestor).
	noErr(t, move(c.ID, wh.ID))
	noErr(t, move(b.ID, c.ID))

	children := try(svc.ListLocations(ctx, catalogue.ListQuery{}, catalogue.LocationFilter{Parent: catalogue.SetTo(wh.ID)})).must(t)
	roots := try(svc.ListLocations(ctx, catalogue.ListQuery{}, catalogue.LocationFilter{Parent: catalogue.SetNull[int64]()})).must(t)
	all := try(svc.ListLocations(ctx, catalogue.ListQuery{Q: "wh1-a-b"}, catalogue.LocationFilter{})).must(t)
	codes := func(p []catalogue.Location) (out []string) {
		for _, l := range p {
			out = append(out, l.Code)
		}
		return out
	}
	if diff := cmp.Diff([]string{"WH1-A", "WH1-A-B-C"}, codes(children.Items)); diff != "" {
		t.Errorf("children of WH1:\n%s", diff)
	}
	if diff := cmp.Diff([]string{"WH1"}, codes(roots.Items)); diff != "" {
		t.Errorf("top level:\n%s", diff)
	}
	if !slices.Contains(codes(all.Items), "WH1-A-B") {
		t.Errorf("search for a code: %v", codes(all.Items))
	}
}

// Two moves that each are fine alone but together would close a cycle:
// whatever the timing, one of them must be refused.
func TestCatalogueConcurrentMovesCannotCloseACycle(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc
	wh := try(svc.CreateLocation(ctx, clerk, catalogue.LocationFields{Code: "WH", Name: "Lager", Kind: catalogue.Warehouse})).must(t)
	for round := range 5 {
		r := strconv.Itoa(round)
		x := try(svc.CreateLocation(ctx, clerk, catalogue.LocationFields{ParentID: &wh.ID, Code: "X" + r, Name: "X", Kind: catalogue.Zone})).must(t)
		y := try(svc.CreateLocation(ctx, clerk, catalogue.LocationFields{ParentID: &wh.ID, Code: "Y" + r, Name: "Y", Kind: catalogue.Zone})).must(t)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, m := range [][2]int64{{x.ID, y.ID}, {y.ID, x.ID}} {
			wg.Go(func() {
				<-start
				_, errs[i] = svc.UpdateLocation(ctx, clerk, m[0], 0, catalogue.LocationPatch{ParentID: catalogue.SetTo(m[1])})
			})
		}
		close(start)
		wg.Wait()
		failed := 0
		for _, err := range errs {
			if err != nil {
				wantField(t, err, apperr.CodeValidation, "parent_id", "is inside this location; the tree must not have cycles")
				failed++
			}
		}
		if failed != 1 {
			t.Fatalf("round %d: %d of the two moves failed, want exactly 1: %v", round, failed, errs)
		}
	}
}

func TestCatalogueAuditSharesTheWritesTransaction(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	item := try(env.svc.CreateItem(ctx, clerk, itemFields("TX-1", "Rivella Rot"))).must(t)
	item = try(env.svc.UpdateItem(ctx, clerk, item.ID, 0, catalogue.ItemPatch{Brand: ptr("Rivella")})).must(t)

	// now() is the transaction's start: equal stamps mean one transaction.
	rows, _ := env.pool.Query(ctx, "SELECT at FROM audit_log WHERE entity = 'item' AND entity_id = $1 ORDER BY id", strconv.FormatInt(item.ID, 10))
	stamps := try(pgx.CollectRows(rows, pgx.RowTo[time.Time])).must(t)
	if len(stamps) != 2 || !stamps[0].Equal(item.CreatedAt) || !stamps[1].Equal(item.UpdatedAt) {
		t.Errorf("audit times %v; item created %v, updated %v", stamps, item.CreatedAt, item.UpdatedAt)
	}

	// When the audit record cannot be written (no such user), the change
	// it describes is rolled back with it.
	ghost := audit.Actor{UserID: 987654, RequestID: "req-ghost"}
	if _, err := env.svc.UpdateItem(ctx, ghost, item.ID, 0, catalogue.ItemPatch{Brand: ptr("Ghost")}); err == nil {
		t.Fatal("an update whose audit record failed succeeded")
	}
	if _, err := env.svc.CreateCategory(ctx, ghost, catalogue.CategoryFields{Name: "Ghost"}); err == nil {
		t.Fatal("a create whose audit record failed succeeded")
	}
	if got := try(env.svc.GetItem(ctx, item.ID)).must(t); got.Brand != "Rivella" || got.Version != item.Version {
		t.Errorf("the update was kept without its audit record: %+v", got)
	}
	page := try(env.svc.ListCategories(ctx, catalogue.ListQuery{Archived: catalogue.AnyArchived})).must(t)
	if page.Total != 0 {
		t.Errorf("the category was kept without its audit record: %+v", page.Items)
	}

	// A write the database refuses leaves no record either.
	before := auditCount(t, env.pool)
	_, err := env.store.UpdateItem(ctx, clerk, item.ID, 0, func(_ context.Context, _ catalogue.Refs, it *catalogue.Item) error {
		it.VATRateBP = 770 // bypasses the domain's validation; the CHECK holds
		return nil
	})
	if err == nil || auditCount(t, env.pool) != before {
		t.Errorf("update with an invalid VAT rate: err %v, audit records %d → %d", err, before, auditCount(t, env.pool))
	}
	// A failing domain rule inside the transaction leaves nothing.
	_, err = env.store.UpdateItem(ctx, clerk, item.ID, 0, func(context.Context, catalogue.Refs, *catalogue.Item) error {
		return errors.New("rule failed")
	})
	if err == nil || auditCount(t, env.pool) != before {
		t.Errorf("update refused by its rule: err %v, audit records %d → %d", err, before, auditCount(t, env.pool))
	}
}

func TestCatalogueItemRoundTrip(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	svc := env.svc
	cat := try(svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Bier"})).must(t)
	sup := try(svc.CreateSupplier(ctx, clerk, catalogue.SupplierFields{Name: "Brauerei"})).must(t)
	in := catalogue.ItemFields{
		SKU: "FELD-33", Name: "Feldschlösschen Original", Description: "Lagerbier\nhell", CategoryID: &cat.ID, Brand: "Feldschlösschen",
		EANUnit: ptr("7612345000015"), EANPackage: ptr("7612345000022"),
		BaseUnit: "bottle", PackageUnit: ptr("crate"), PackageSize: ptr[int64](24), PalletSize: ptr[int64](40),
		SalesPriceUnit: 180, SalesPricePackage: ptr(money.Amount(3900)), Currency: "CHF", VATRateBP: catalogue.VATStandard,
		DepositUnit: 30, DepositPackage: 300, Returnable: true,
		BeverageType: "beer", Container: ptr(catalogue.Glass), VolumeML: ptr(330), ABV: ptr(48), Alcoholic: true, CountryOfOrigin: ptr("CH"),
		MinStock: 240, ReorderQty: 960, PreferredSupplierID: &sup.ID,
	}
	created := try(svc.CreateItem(ctx, clerk, in)).must(t)
	got := try(svc.GetItem(ctx, created.ID)).must(t)
	if diff := cmp.Diff(in, got.ItemFields); diff != "" {
		t.Errorf("stored item differs:\n%s", diff)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("create's answer differs from a read:\n%s", diff)
	}
	if got.AvgUnitCostMicros != 0 || got.Version != 1 || got.ArchivedAt != nil {
		t.Errorf("fresh item: %+v", got)
	}
	pallets, crates, bottles := catalogue.Breakdown(2000, *got.PackageSize, *got.PalletSize)
	if pallets != 2 || crates != 3 || bottles != 8 {
		t.Errorf("breakdown %d/%d/%d", pallets, crates, bottles)
	}

	// The supplier link: create, update (patch to null), list.
	link := try(svc.AddItemSupplier(ctx, clerk, got.ID, sup.ID, catalogue.ItemSupplierFields{SupplierSKU: "FS 33", Price: ptr(money.Amount(2900)), LeadTimeDays: ptr(3)})).must(t)
	if link.SupplierName != "Brauerei" || link.Version != 1 {
		t.Errorf("link: %+v", link)
	}
	_, err := svc.AddItemSupplier(ctx, clerk, got.ID, sup.ID, catalogue.ItemSupplierFields{})
	wantField(t, err, apperr.CodeConflict, "supplier_id", "")
	_, err = svc.UpdateItemSupplier(ctx, clerk, got.ID, sup.ID, 2, catalogue.ItemSupplierPatch{Price: catalogue.SetNull[money.Amount]()})
	wantCode(t, err, apperr.CodePrecondition)
	link = try(svc.UpdateItemSupplier(ctx, clerk, got.ID, sup.ID, 1, catalogue.ItemSupplierPatch{Price: catalogue.SetNull[money.Amount](), LeadTimeDays: catalogue.SetTo(5)})).must(t)
	if link.Price != nil || *link.LeadTimeDays != 5 || link.Version != 2 {
		t.Errorf("patched link: %+v", link)
	}
	entries := trail(t, env.pool, "item_supplier", strconv.FormatInt(got.ID, 10)+":"+strconv.FormatInt(sup.ID, 10))
	if diff := cmp.Diff(trailEntry{audit.ActionUpdate, map[string]audit.Change{
		"price": {From: 2900.0}, "lead_time_days": {From: 3.0, To: 5.0},
	}}, entries[len(entries)-1]); diff != "" {
		t.Errorf("link update record:\n%s", diff)
	}
	links := try(svc.ListItemSuppliers(ctx, got.ID)).must(t)
	if diff := cmp.Diff([]catalogue.ItemSupplier{link}, links); diff != "" {
		t.Errorf("links:\n%s", diff)
	}
	wantCode(t, svc.RemoveItemSupplier(ctx, clerk, got.ID, sup.ID, 1), apperr.CodePrecondition)
	noErr(t, svc.RemoveItemSupplier(ctx, clerk, got.ID, sup.ID, 2))
	if links := try(svc.ListItemSuppliers(ctx, got.ID)).must(t); len(links) != 0 {
		t.Errorf("links after removal: %+v", links)
	}
	_, err = svc.ListItemSuppliers(ctx, 987654)
	wantCode(t, err, apperr.CodeNotFound)

	// The database holds the rules too, whatever a writer forgets.
	for _, stmt := range []string{
		"UPDATE items SET abv = 60, alcoholic = false WHERE id = $1",
		"UPDATE items SET package_size = NULL, package_unit = NULL WHERE id = $1",
		"UPDATE items SET vat_rate_bp = 770 WHERE id = $1",
		"UPDATE items SET sales_price_unit = -1 WHERE id = $1",
		"UPDATE items SET container = 'barrel' WHERE id = $1",
		"UPDATE items SET ean_package = ean_unit WHERE id = $1",
	} {
		if _, err := env.pool.Exec(ctx, stmt, got.ID); err == nil || !strings.Contains(err.Error(), "check") {
			t.Errorf("%s: %v, want a check violation", stmt, err)
		}
	}
}
