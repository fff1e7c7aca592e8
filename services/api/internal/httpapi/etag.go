package httpapi

import (
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// etag renders a row version as a strong ETag.
func etag(version int) *string {
	s := `"` + strconv.Itoa(version) + `"`
	return &s
}

// expectedVersion reads If-Match: absent or "*" means no check (0); a
// malformed value is refused rather than ignored, so a client bug cannot
// silently overwrite someone's change.
func expectedVersion(ifMatch *string) (int, error) {
	if ifMatch == nil || strings.TrimSpace(*ifMatch) == "" || strings.TrimSpace(*ifMatch) == "*" {
		return 0, nil
	}
	v := strings.TrimPrefix(strings.TrimSpace(*ifMatch), "W/")
	n, err := strconv.Atoi(strings.Trim(v, `"`))
	if err != nil || n < 1 {
		return 0, apperr.New(apperr.CodePrecondition, "If-Match must be an ETag this API returned.")
	}
	return n, nil
}
