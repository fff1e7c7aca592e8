package health

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type fakeDB struct {
	pingErr   error
	schema    Schema
	schemaErr error
	block     bool
}

func (f fakeDB) Ping(ctx context.Context) error {
	if f.block {
		<-ctx.Done()
		return ctx.Err()
	}
	return f.pingErr
}

func (f fakeDB) Schema(context.Context) (Schema, error) { return f.schema, f.schemaErr }

func TestCheck(t *testing.T) {
	tests := []struct {
		name       string
		db         fakeDB
		want       Report
		wantReason string
	}{
		{"ready", fakeDB{schema: Schema{Version: 3}},
			Report{OK: true, Database: DatabaseReady, SchemaVersion: 3, ExpectedVersion: 3}, ""},
		{"unreachable", fakeDB{pingErr: errors.New("connection refused")},
			Report{Database: DatabaseUnreachable, ExpectedVersion: 3}, "connection refused"},
		{"hung database times out", fakeDB{block: true},
			Report{Database: DatabaseUnreachable, ExpectedVersion: 3}, "deadline exceeded"},
		{"schema unreadable", fakeDB{schemaErr: errors.New("permission denied")},
			Report{Database: DatabaseUnreachable, ExpectedVersion: 3}, "permission denied"},
		{"behind", fakeDB{schema: Schema{Version: 2}},
			Report{Database: DatabaseSchemaOutdated, SchemaVersion: 2, ExpectedVersion: 3}, "version 2, this api needs 3"},
		{"ahead", fakeDB{schema: Schema{Version: 4}},
			Report{Database: DatabaseSchemaOutdated, SchemaVersion: 4, ExpectedVersion: 3}, "version 4, this api needs 3"},
		{"dirty", fakeDB{schema: Schema{Version: 3, Dirty: true}},
			Report{Database: DatabaseSchemaDirty, SchemaVersion: 3, ExpectedVersion: 3}, "half-way"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewChecker(tt.db, 3, 50*time.Millisecond).Check(context.Background())
			if !strings.Contains(got.Reason, tt.wantReason) {
				t.Errorf("reason %q does not contain %q", got.Reason, tt.wantReason)
			}
			got.Reason = ""
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
	}
}
