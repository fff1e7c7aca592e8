package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/salespdf"
)

// GetDeliveryNote renders the order's delivery note on request. The ETag
// is the hash of the PDF itself: whatever went into it (order, profile,
// logo, item names, language, the layout) changes it, and nothing else
// does. A 304 therefore still costs the rendering, but saves the transfer.
func (s *server) GetDeliveryNote(ctx context.Context, r oapi.GetDeliveryNoteRequestObject) (oapi.GetDeliveryNoteResponseObject, error) {
	dn, err := s.orders.DeliveryNote(ctx, r.Id, principal(ctx).UserID)
	if err != nil {
		return nil, err
	}
	pdf, err := salespdf.RenderDeliveryNote(dn)
	if errors.Is(err, salespdf.ErrLogo) {
		// The upload checks the type from the content; a logo that still
		// cannot be printed needs replacing, by an admin.
		return nil, apperr.New(apperr.CodeConflict, "The company logo cannot be printed; an admin uploads it again under Settings, Company.")
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(pdf)
	tag := `"` + hex.EncodeToString(sum[:]) + `"`
	if r.Params.IfNoneMatch != nil && etagMatches(*r.Params.IfNoneMatch, tag) {
		return pdfResponse{etag: tag, notModified: true}, nil
	}
	return pdfResponse{etag: tag, name: dn.OrderNumber + ".pdf", content: pdf}, nil
}

// pdfResponse writes a generated PDF as a download.
type pdfResponse struct {
	etag        string
	name        string // ASCII: a document number and ".pdf"
	content     []byte
	notModified bool
}

func (r pdfResponse) VisitGetDeliveryNoteResponse(w http.ResponseWriter) error {
	h := w.Header()
	h.Set("ETag", r.etag)
	// Revalidate every time; private: a shared cache must not hand it to
	// someone not allowed to read the order.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.notModified {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+r.name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(r.content)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(r.content)
	return err
}
