// Package migrations holds the database schema as plain SQL files, embedded so
// that the api binary carries its schema and applies it at start.
//
// Files follow golang-migrate's naming: NNNNNN_name.up.sql / NNNNNN_name.down.sql.
// A migration, once released, is never edited: add a new one.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed *.sql
var files embed.FS

// FS returns the migration files.
func FS() fs.FS { return files }
