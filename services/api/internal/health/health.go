// Package health decides whether the api is ready to serve: the database
// answers and its schema is the one this binary was built for.
package health

import (
	"context"
	"fmt"
	"time"
)

// Database states reported by readiness.
const (
	DatabaseReady          = "ready"
	DatabaseUnreachable    = "unreachable"
	DatabaseSchemaOutdated = "schema_outdated"
	DatabaseSchemaDirty    = "schema_dirty"
)

// Schema is the applied migration version.
type Schema struct {
	Version uint
	Dirty   bool
}

// Database is what readiness needs to know about the database.
type Database interface {
	Ping(ctx context.Context) error
	Schema(ctx context.Context) (Schema, error)
}

// Report is the answer of a readiness check.
type Report struct {
	OK              bool
	Database        string
	SchemaVersion   uint
	ExpectedVersion uint
	Reason          string
}

// Checker runs readiness checks.
type Checker struct {
	db       Database
	expected uint
	timeout  time.Duration
}

// NewChecker checks db against the schema version this binary expects;
// each check gives up after timeout so a hung database reads as not ready.
func NewChecker(db Database, expectedVersion uint, timeout time.Duration) *Checker {
	return &Checker{db: db, expected: expectedVersion, timeout: timeout}
}

// Check reports whether the api can serve requests now.
func (c *Checker) Check(ctx context.Context) Report {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	r := Report{ExpectedVersion: c.expected}
	if err := c.db.Ping(ctx); err != nil {
		r.Database = DatabaseUnreachable
		r.Reason = "database does not answer: " + err.Error()
		return r
	}
	s, err := c.db.Schema(ctx)
	if err != nil {
		r.Database = DatabaseUnreachable
		r.Reason = "cannot read schema version: " + err.Error()
		return r
	}
	r.SchemaVersion = s.Version
	switch {
	case s.Dirty:
		r.Database = DatabaseSchemaDirty
		r.Reason = fmt.Sprintf("migration %d failed half-way; an operator must repair it (api migrate)", s.Version)
	case s.Version != c.expected:
		r.Database = DatabaseSchemaOutdated
		r.Reason = fmt.Sprintf("schema is at version %d, this api needs %d", s.Version, c.expected)
	default:
		r.Database = DatabaseReady
		r.OK = true
	}
	return r
}
