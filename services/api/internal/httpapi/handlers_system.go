package httpapi

import (
	"context"
	"net/http"

	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
)

func (s *server) GetLiveness(context.Context, oapi.GetLivenessRequestObject) (oapi.GetLivenessResponseObject, error) {
	return oapi.GetLiveness200JSONResponse{Ok: true}, nil
}

func (s *server) readinessReport(ctx context.Context) (oapi.Readiness, bool) {
	r := s.checker.Check(ctx)
	out := oapi.Readiness{
		Ok:                    r.OK,
		Database:              oapi.ReadinessDatabase(r.Database),
		SchemaVersion:         int(r.SchemaVersion),
		ExpectedSchemaVersion: int(r.ExpectedVersion),
		Version:               s.version,
	}
	if r.Reason != "" {
		out.Reason = &r.Reason
	}
	return out, r.OK
}

// GetReadiness is /readyz. Liveness never touches the database, readiness does.
func (s *server) GetReadiness(ctx context.Context, _ oapi.GetReadinessRequestObject) (oapi.GetReadinessResponseObject, error) {
	r, ok := s.readinessReport(ctx)
	if !ok {
		return oapi.GetReadiness503JSONResponse(r), nil
	}
	return oapi.GetReadiness200JSONResponse(r), nil
}

// GetHealth is /api/health, the same answer as /readyz.
func (s *server) GetHealth(ctx context.Context, _ oapi.GetHealthRequestObject) (oapi.GetHealthResponseObject, error) {
	r, ok := s.readinessReport(ctx)
	if !ok {
		return oapi.GetHealth503JSONResponse(r), nil
	}
	return oapi.GetHealth200JSONResponse(r), nil
}

// specResponse serves the document as encoded once at start.
type specResponse []byte

func (b specResponse) VisitGetOpenAPIResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b)
	return err
}

func (s *server) GetOpenAPI(context.Context, oapi.GetOpenAPIRequestObject) (oapi.GetOpenAPIResponseObject, error) {
	return specResponse(s.specJSON), nil
}
