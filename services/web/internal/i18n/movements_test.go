package i18n

import "testing"

func TestMovementsTexts(t *testing.T) { checkGroup(t, Movements) }
