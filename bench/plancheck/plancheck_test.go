package plancheck

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/bench/seed"
	"github.com/depotix/depotix/platform/nativestack"
)

// TestListQueryPlansAtSize checks every list query of the api against a
// database seeded by the benchmark (make bench runs it). Set
// DEPOTIX_BENCH_DB to that database's URL; DEPOTIX_BENCH_API names the api
// binary (default bin/api), DEPOTIX_BENCH_EMAIL and DEPOTIX_BENCH_PASSWORD
// an admin of that database (required), and DEPOTIX_BENCH_PLAN_REPORT a
// file for the report as JSON.
func TestListQueryPlansAtSize(t *testing.T) {
	dbURL := os.Getenv("DEPOTIX_BENCH_DB")
	if dbURL == "" {
		t.Skip("set DEPOTIX_BENCH_DB to a database seeded by make bench")
	}
	email, password := os.Getenv("DEPOTIX_BENCH_EMAIL"), os.Getenv("DEPOTIX_BENCH_PASSWORD")
	if email == "" || password == "" {
		t.Fatal("set DEPOTIX_BENCH_EMAIL and DEPOTIX_BENCH_PASSWORD to an admin of that database")
	}
	apiBin := os.Getenv("DEPOTIX_BENCH_API")
	if apiBin == "" {
		wd, _ := os.Getwd()
		root, err := nativestack.Root(wd)
		if err != nil {
			t.Fatal(err)
		}
		apiBin = filepath.Join(root, "bin", "api")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	db, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	terms, err := seed.SearchTerms(ctx, db)
	db.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ctx, Options{
		DatabaseURL: dbURL, APIBinary: apiBin,
		Email: email, Password: password,
		SearchTerms: terms, Log: t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("DEPOTIX_BENCH_PLAN_REPORT"); out != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Error(err)
		}
	}
	// Each list request runs at least a count or a page on a big table; a
	// capture that saw fewer statements than requests saw nothing.
	if len(rep.Plans) < rep.Requests/2 || rep.Requests < 40 {
		t.Fatalf("%d requests, only %d distinct statements captured", rep.Requests, len(rep.Plans))
	}
	for _, p := range rep.Findings() {
		plan, _ := json.Marshal(p.Plan)
		t.Errorf("%s reads %v sequentially:\n%s\nparams %v\nplan %s", p.Request, p.SeqScans, p.SQL, p.Params, plan)
	}
	for _, u := range rep.Unused {
		t.Errorf("%s is meant to be read and is not", u)
	}
	t.Logf("%d requests, %d statements explained", rep.Requests, len(rep.Plans))
}
