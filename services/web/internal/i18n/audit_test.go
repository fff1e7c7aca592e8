package i18n

import "testing"

func TestAuditTexts(t *testing.T) { checkGroup(t, Audit) }

func TestAuditNames(t *testing.T) {
	de := Audit(German)
	if got := de.EntityName("item"); got != "Artikel" {
		t.Errorf("EntityName(item) = %q", got)
	}
	if got := de.EntityName("rack"); got != "rack" {
		t.Errorf("an unknown entity = %q, want it as the api wrote it", got)
	}
	if got := Audit(English).ActionName("update"); got != "changed" {
		t.Errorf("ActionName(update) = %q", got)
	}
}
