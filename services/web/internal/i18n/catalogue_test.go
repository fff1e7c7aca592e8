package i18n

import "testing"

func TestCatalogueTexts(t *testing.T) { checkGroup(t, Catalogue) }
func TestItemsTexts(t *testing.T)     { checkGroup(t, Items) }
