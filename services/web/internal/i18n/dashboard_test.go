package i18n

import "testing"

func TestDashboardTexts(t *testing.T) { checkGroup(t, Dashboard) }
