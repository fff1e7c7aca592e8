package postgres

import (
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

func TestUniqueField(t *testing.T) {
	tests := []struct {
		table, constraint, want string
	}{
		{"users", "users_email_key", "email"},
		{"item_suppliers", "item_suppliers_supplier_sku_key", "supplier_sku"},
		{"items", "items_ean_unit_key", "ean_unit"},
		{"items", "items_pkey", ""},
		{"items", "other_sku_key", ""},
	}
	for _, tt := range tests {
		got := uniqueField(tt.table, tt.constraint)
		if tt.want == "" {
			if got != nil {
				t.Errorf("%s: got %v, want none", tt.constraint, got)
			}
			continue
		}
		if got[tt.want].Code != apperr.FieldTaken || len(got) != 1 {
			t.Errorf("%s: got %v, want field %s", tt.constraint, got, tt.want)
		}
	}
}
