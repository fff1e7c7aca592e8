package i18n

import "testing"

func TestOrdersTexts(t *testing.T) { checkGroup(t, Orders) }
