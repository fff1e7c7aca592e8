package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/orders"
)

// DeliveryNote reads an order with what its delivery note prints: the
// company profile and its logo's bytes, the unit names of the empties'
// items and the reader's language. One read-only snapshot, so a logo
// replaced meanwhile cannot pair the new profile with the old picture.
func (s *OrderStore) DeliveryNote(ctx context.Context, id, userID int64) (orders.DeliveryNoteSource, error) {
	var src orders.DeliveryNoteSource
	err := inSnapshot(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if src.Order, err = s.order(ctx, tx, id, ""); err != nil {
			return err
		}
		if src.Company, err = readProfile(ctx, tx, false); err != nil {
			return err
		}
		if src.Company.Logo != nil {
			if err := tx.QueryRow(ctx, `SELECT content FROM files WHERE id = $1`, src.Company.Logo.ID).Scan(&src.Logo); err != nil {
				return fmt.Errorf("read the logo: %w", err)
			}
		}
		src.EmptiesUnits = map[int64]orders.ItemUnits{}
		if len(src.Order.Empties) > 0 {
			ids := make([]int64, len(src.Order.Empties))
			for i, e := range src.Order.Empties {
				ids[i] = e.ItemID
			}
			rows, _ := tx.Query(ctx, `SELECT id, base_unit, coalesce(package_unit, '') FROM items WHERE id = ANY($1)`, ids)
			var itemID int64
			var u orders.ItemUnits
			if _, err := pgx.ForEachRow(rows, []any{&itemID, &u.Base, &u.Package}, func() error {
				src.EmptiesUnits[itemID] = u
				return nil
			}); err != nil {
				return fmt.Errorf("read the empties' units: %w", err)
			}
		}
		// A personal API token or a session of a person deleted meanwhile
		// finds no row: the note is German.
		err = tx.QueryRow(ctx, `SELECT coalesce(language, '') FROM users WHERE id = $1`, userID).Scan(&src.Language)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read the reader's language: %w", err)
		}
		return nil
	})
	return src, mapError(err, orderNotFound)
}
