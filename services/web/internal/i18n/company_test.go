package i18n

import "testing"

func TestCompanyTexts(t *testing.T) { checkGroup(t, Company) }
