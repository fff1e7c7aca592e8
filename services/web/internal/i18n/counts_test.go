package i18n

import "testing"

func TestCountsTexts(t *testing.T) { checkGroup(t, Counts) }
