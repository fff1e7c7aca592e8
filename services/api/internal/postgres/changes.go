package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// changesChannel is the notification channel the api processes share
// (docs/architecture.md names it for those who write outside the api).
const changesChannel = "depotix_changes"

// ChangeBus carries the change feed's notifications (changes.Bus) between
// the api processes on one database through LISTEN/NOTIFY.
type ChangeBus struct {
	pool *pgxpool.Pool
}

// NewChangeBus returns a bus over the database of pool.
func NewChangeBus(pool *pgxpool.Pool) *ChangeBus {
	return &ChangeBus{pool: pool}
}

// Listen holds its own connection (outside the pool, which it would
// otherwise shrink for good) and passes on every notification until ctx
// ends or the connection breaks.
func (b *ChangeBus) Listen(ctx context.Context, subscribed func(), heard func(payload string)) error {
	conn, err := pgx.ConnectConfig(ctx, b.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	subscribed()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		heard(n.Payload)
	}
}

// Notify sends payload on the channel. It runs outside any transaction: a
// NOTIFY inside the writes' own would serialise every commit on
// PostgreSQL's notify queue lock.
func (b *ChangeBus) Notify(ctx context.Context, payload string) error {
	if _, err := b.pool.Exec(ctx, "SELECT pg_notify($1, $2)", changesChannel, payload); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}
