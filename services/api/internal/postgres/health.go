package postgres

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/health"
)

// HealthStore answers readiness questions from the pool.
type HealthStore struct{ pool *pgxpool.Pool }

// NewHealthStore wraps pool for the readiness checker.
func NewHealthStore(pool *pgxpool.Pool) *HealthStore { return &HealthStore{pool: pool} }

// Ping checks that a connection can be had and the server answers.
func (s *HealthStore) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Schema reports the applied migration version.
func (s *HealthStore) Schema(ctx context.Context) (health.Schema, error) {
	st, err := ReadSchemaState(ctx, s.pool)
	return health.Schema{Version: st.Version, Dirty: st.Dirty}, err
}
