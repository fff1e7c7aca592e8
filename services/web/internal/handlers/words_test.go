package handlers

import (
	"testing"

	"github.com/depotix/depotix/services/web/internal/apiclient"
)

// Records the lists do not name are shown in words, never by their number.
func TestNoNumbersForUnlistedRecords(t *testing.T) {
	seven := int64(7)
	if got := preferredName(apiclient.Item{PreferredSupplierID: &seven}, nil, "(gone)"); got != "(gone)" {
		t.Errorf("preferred supplier not among the item's suppliers: %q", got)
	}
	parent := int64(9)
	paths := catLocationPaths([]apiclient.Location{{ID: 3, Code: "A-03", ParentID: &parent}})
	if paths[3] != "… › A-03" {
		t.Errorf("path under an unlisted parent: %q", paths[3])
	}
	if got := catPathOr(paths, 8, "(not listed)"); got != "(not listed)" {
		t.Errorf("unlisted location: %q", got)
	}
}
