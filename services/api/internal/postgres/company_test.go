package postgres_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

var admin = audit.Actor{RequestID: "req-company"}

func pngOf(extra string) []byte { return []byte("\x89PNG\r\n\x1a\n" + extra) }

func TestCompanyProfileDefaultsAndUpdate(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	store := postgres.NewCompanyStore(pool)
	svc := company.NewService(store, 0)

	p := try(svc.Get(ctx)).must(t)
	if p.InvoicePrefix != "RE" || p.CreditNotePrefix != "GS" || p.Currency != "CHF" || p.DepositsTaxable ||
		p.PaymentTermsDays != 30 || p.Country != "CH" || p.Version != 1 || p.Logo != nil {
		t.Fatalf("defaults: %+v", p)
	}
	if got := p.MissingForQRBill(); len(got) != 4 {
		t.Errorf("a new profile misses name, postal code, town and IBAN: %v", got)
	}

	in := p.Fields
	in.Name, in.PostalCode, in.Town, in.IBAN, in.VATNumber = "Getränke Müller GmbH", "8400", "Winterthur", "ch44 3199 9123 0008 8901 2", "CHE116281710MWST"
	in.DepositsTaxable = true
	p2 := try(svc.Update(ctx, admin, 1, in)).must(t)
	if p2.Version != 2 || p2.IBAN != "CH4431999123000889012" || p2.VATNumber != "CHE-116.281.710 MWST" || !p2.DepositsTaxable {
		t.Errorf("after update: %+v", p2)
	}
	if got := p2.MissingForQRBill(); len(got) != 0 {
		t.Errorf("complete profile misses %v", got)
	}
	// The same again writes nothing.
	if p3 := try(svc.Update(ctx, admin, 2, p2.Fields)).must(t); p3.Version != 2 {
		t.Errorf("unchanged update made version %d", p3.Version)
	}
	// A stale version is refused and changes nothing.
	in.Name = "Someone Else"
	wantCode(t, mustErr(svc.Update(ctx, admin, 1, in)), apperr.CodePrecondition)
	// A bad IBAN is refused before the store.
	in.IBAN = "CH4431999123000889013"
	wantCode(t, mustErr(svc.Update(ctx, admin, 2, in)), apperr.CodeValidation)
	if p := try(svc.Get(ctx)).must(t); p.Name != "Getränke Müller GmbH" {
		t.Errorf("refused updates changed the profile: %+v", p)
	}
	var audits int
	noErr(t, pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'company_profile'`).Scan(&audits))
	if audits != 1 {
		t.Errorf("%d audit records, want 1", audits)
	}
}

func mustErr[T any](_ T, err error) error { return err }

func TestLogoReplaceRemovesTheOldFile(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	store := postgres.NewCompanyStore(pool)
	svc := company.NewService(store, 1000)

	first := try(svc.ReplaceLogo(ctx, admin, 0, files.Upload{Name: "logo.png", Content: pngOf("one")})).must(t)
	if first.Logo == nil || first.Logo.Type != files.PNG || first.Logo.Name != "logo.png" || first.Logo.Size != 11 {
		t.Fatalf("first logo: %+v", first.Logo)
	}
	f, content, err := store.GetFile(ctx, first.Logo.ID)
	noErr(t, err)
	sum := sha256.Sum256(pngOf("one"))
	if string(content) != string(pngOf("one")) || f.SHA256 != hex.EncodeToString(sum[:]) || f.Owner != files.OwnerCompanyLogo {
		t.Errorf("stored file: %+v %q", f, content)
	}
	second := try(svc.ReplaceLogo(ctx, admin, first.Version, files.Upload{Name: "neu.png", Content: pngOf("two")})).must(t)
	if second.Logo.ID == first.Logo.ID {
		t.Fatal("the logo was not replaced")
	}
	_, _, err = store.GetFile(ctx, first.Logo.ID)
	wantCode(t, err, apperr.CodeNotFound)
	// A stale version leaves the logo as it is and stores no file.
	wantCode(t, mustErr(svc.ReplaceLogo(ctx, admin, first.Version, files.Upload{Name: "x.png", Content: pngOf("three")})), apperr.CodePrecondition)
	// An SVG is refused before the store.
	wantCode(t, mustErr(svc.ReplaceLogo(ctx, admin, 0, files.Upload{Name: "x.png", Content: []byte("<svg/>")})), apperr.CodeValidation)
	var n int
	noErr(t, pool.QueryRow(ctx, `SELECT count(*) FROM files`).Scan(&n))
	if n != 1 {
		t.Errorf("%d files stored, want only the current logo", n)
	}
}

func TestLogoRemove(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	store := postgres.NewCompanyStore(pool)
	svc := company.NewService(store, 1000)

	with := try(svc.ReplaceLogo(ctx, admin, 0, files.Upload{Name: "logo.png", Content: pngOf("one")})).must(t)
	wantCode(t, mustErr(svc.RemoveLogo(ctx, admin, with.Version-1)), apperr.CodePrecondition)
	without := try(svc.RemoveLogo(ctx, admin, with.Version)).must(t)
	if without.Logo != nil || without.Version != with.Version+1 {
		t.Fatalf("after the removal: %+v", without)
	}
	_, _, err := store.GetFile(ctx, with.Logo.ID)
	wantCode(t, err, apperr.CodeNotFound)
	var changes string
	noErr(t, pool.QueryRow(ctx, `SELECT changes::text FROM audit_log WHERE entity = 'company_profile' ORDER BY id DESC LIMIT 1`).Scan(&changes))
	if want := fmt.Sprintf(`{"logo_file_id": {"to": null, "from": %d}}`, with.Logo.ID); changes != want {
		t.Errorf("audit changes %s, want %s", changes, want)
	}
	// Nothing to remove: nothing written, the version stays.
	again := try(svc.RemoveLogo(ctx, admin, without.Version)).must(t)
	if again.Logo != nil || again.Version != without.Version {
		t.Errorf("a second removal: %+v", again)
	}
	var audits int
	noErr(t, pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'company_profile'`).Scan(&audits))
	if audits != 2 {
		t.Errorf("%d audit records, want 2 (upload, removal)", audits)
	}
}

// Two admins replacing the logo at once: both succeed one after the other
// (the profile row is locked), and exactly one file remains.
func TestLogoReplaceConcurrently(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	svc := company.NewService(postgres.NewCompanyStore(pool), 1000)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svc.ReplaceLogo(ctx, admin, 0, files.Upload{Name: "logo.png", Content: pngOf(string(rune('a' + i)))})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		noErr(t, err)
	}
	var count int
	var version int
	noErr(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM files), version FROM organisation`).Scan(&count, &version))
	if count != 1 || version != 1+n {
		t.Errorf("%d files, version %d; want 1 file, version %d", count, version, 1+n)
	}
}
