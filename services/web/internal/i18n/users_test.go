package i18n

import "testing"

func TestUsersTexts(t *testing.T) { checkGroup(t, Users) }
