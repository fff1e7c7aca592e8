package views

import (
	"testing"

	"github.com/depotix/depotix/services/web/internal/i18n"
)

// Both forms of the company page: a problem on every field is listed in
// the summary, linked to a control with the field's label.
func TestCompanyPageSummaries(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.German} {
		p := signedInPage(lang, NavCompany, "admin")
		fields := SectionFields(CompanySections(p))
		v := CompanyView{Form: withProblems(Form{Values: map[string]string{}}, fields), Version: `"3"`}
		checkSummary(t, renderDoc(t, CompanyPage(p, v)), "company-error", fields)

		logo := CompanyLogoFields(p)
		v = CompanyView{Form: Form{Values: map[string]string{}}, LogoForm: withProblems(Form{}, logo), LogoURL: "/files/5"}
		doc := renderDoc(t, CompanyPage(p, v))
		checkSummary(t, doc, "logo-error", logo)
		if src, _ := doc.Find(`img[data-testid="company-logo"]`).Attr("src"); src != "/files/5" {
			t.Errorf("%s: logo src %q", lang, src)
		}
		if alt, _ := doc.Find(`img[data-testid="company-logo"]`).Attr("alt"); alt != i18n.Company(lang).LogoAlt {
			t.Errorf("%s: logo alt %q", lang, alt)
		}
	}
}

func TestCompanyMissingLabels(t *testing.T) {
	p := signedInPage(i18n.German, NavCompany, "admin")
	got := CompanyMissingLabels(p, []string{"iban", "name", "town"})
	want := []string{"Firmenname", "Ort", "IBAN oder QR-IBAN"}
	if len(got) != len(want) {
		t.Fatalf("labels %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("labels %q, want %q (form order)", got, want)
		}
	}
}
