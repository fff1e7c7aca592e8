package i18n

import "testing"

func TestInvoicesTexts(t *testing.T) { checkGroup(t, Invoices) }
