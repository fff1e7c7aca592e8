package catalogue

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/page"
)

// LocationKind is a location's place in the tree: warehouses at the top,
// zones inside warehouses or other zones, bins (holding only stock) anywhere
// below a warehouse or zone.
type LocationKind string

// Location kinds.
const (
	Warehouse LocationKind = "warehouse"
	Zone      LocationKind = "zone"
	Bin       LocationKind = "bin"
)

// LocationFields are a location's writable fields.
type LocationFields struct {
	ParentID *int64       `json:"parent_id"`
	Code     string       `json:"code"` // unique ignoring case, e.g. "WH1-A-03"
	Name     string       `json:"name"`
	Kind     LocationKind `json:"kind"`
}

// Location is a place where stock is kept.
type Location struct {
	ID int64 `json:"id"`
	LocationFields
	ArchivedAt *time.Time `json:"archived_at"`
	Version    int        `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// LocationPatch changes the fields that are set; ParentID set to null makes
// the location top-level.
type LocationPatch struct {
	ParentID Optional[int64] `json:"parent_id"`
	Code     *string         `json:"code"`
	Name     *string         `json:"name"`
	Kind     *LocationKind   `json:"kind"`
}

func (p LocationPatch) apply(f *LocationFields) {
	p.ParentID.apply(&f.ParentID)
	set(&f.Code, p.Code)
	set(&f.Name, p.Name)
	set(&f.Kind, p.Kind)
}

func (f *LocationFields) normalize() {
	trim(&f.Code, &f.Name)
	f.Kind = LocationKind(strings.ToLower(strings.TrimSpace(string(f.Kind))))
}

func (f LocationFields) validate() error {
	p := apperr.Problems{}
	checkCode(p, "code", f.Code, MaxLocationCode)
	p.Line("name", f.Name, 1, MaxLocationName)
	switch f.Kind {
	case Warehouse:
		if f.ParentID != nil {
			p.Add("parent_id", apperr.FieldError{Code: apperr.FieldWarehouseTop, Message: "must be empty: a warehouse is a top-level location"})
		}
	case Zone, Bin:
	default:
		p.Add("kind", apperr.NotAllowed(Warehouse, Zone, Bin))
	}
	p.ID("parent_id", f.ParentID)
	return p.Check()
}

// checkPlacement applies the tree rules that need other locations: the
// parent exists, is not a bin, is not archived (when newly chosen) and is not
// the location itself or below it; a location with children cannot become a
// bin. id is 0 for a location not yet stored.
func checkPlacement(ctx context.Context, refs Refs, id int64, before *LocationFields, after LocationFields) error {
	p := apperr.Problems{}
	if after.ParentID != nil && (before == nil || !equalPtr(before.ParentID, after.ParentID)) {
		parent, err := refs.Location(ctx, *after.ParentID)
		switch {
		case notFound(err):
			p.Add("parent_id", apperr.NotFound())
		case err != nil:
			return err
		case parent.ID == id:
			p.Add("parent_id", apperr.FieldError{Code: apperr.FieldSelf, Message: "must not be the location itself"})
		case parent.ArchivedAt != nil:
			p.Add("parent_id", apperr.Archived())
		case parent.Kind == Bin:
			p.Add("parent_id", apperr.FieldError{Code: apperr.FieldParentIsBin, Message: "is a bin; bins hold no other locations"})
		case id != 0:
			above, err := refs.LocationAncestors(ctx, parent.ID)
			if err != nil {
				return err
			}
			if slices.Contains(above, id) {
				p.Add("parent_id", apperr.FieldError{Code: apperr.FieldCycle, Message: "is inside this location; the tree must not have cycles"})
			}
		}
	}
	if id != 0 && after.Kind == Bin && before != nil && before.Kind != Bin {
		has, err := refs.LocationHasChildren(ctx, id)
		if err != nil {
			return err
		}
		if has {
			p.Add("kind", apperr.FieldError{Code: apperr.FieldHasChildren, Message: "cannot be bin: this location holds other locations"})
		}
	}
	return p.Check()
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// CreateLocation validates and stores a new location.
func (s *Service) CreateLocation(ctx context.Context, actor audit.Actor, in LocationFields) (Location, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return Location{}, err
	}
	return s.store.CreateLocation(ctx, actor, in, func(ctx context.Context, refs Refs) error {
		return checkPlacement(ctx, refs, 0, nil, in)
	})
}

// GetLocation returns a location, archived or not.
func (s *Service) GetLocation(ctx context.Context, id int64) (Location, error) {
	return s.store.GetLocation(ctx, id)
}

// UpdateLocation applies p when the location is still at expectedVersion
// (0: whatever its version); moves that would make a cycle are refused.
func (s *Service) UpdateLocation(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, p LocationPatch) (Location, error) {
	return s.store.UpdateLocation(ctx, actor, id, expectedVersion, func(ctx context.Context, refs Refs, l *Location) error {
		before := l.LocationFields
		p.apply(&l.LocationFields)
		l.normalize()
		if err := l.validate(); err != nil {
			return err
		}
		return checkPlacement(ctx, refs, l.ID, &before, l.LocationFields)
	})
}

// ArchiveLocation keeps a location for history but out of new references.
func (s *Service) ArchiveLocation(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) (Location, error) {
	return s.store.SetLocationArchived(ctx, actor, id, expectedVersion, true)
}

// RestoreLocation undoes ArchiveLocation.
func (s *Service) RestoreLocation(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) (Location, error) {
	return s.store.SetLocationArchived(ctx, actor, id, expectedVersion, false)
}

// DeleteLocation removes a location that holds no other locations (and,
// once the stock ledger exists, no stock).
func (s *Service) DeleteLocation(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.store.DeleteLocation(ctx, actor, id, expectedVersion)
}

// ListLocations lists locations by code.
func (s *Service) ListLocations(ctx context.Context, q ListQuery, f LocationFilter) (page.Page[Location], error) {
	l, err := q.list(SortCode, SortCode)
	if err != nil {
		return page.Page[Location]{}, err
	}
	if f.Parent.Value != nil && *f.Parent.Value <= 0 {
		return page.Page[Location]{}, apperr.Problems{"parent_id": apperr.PositiveID()}.Check()
	}
	return s.store.ListLocations(ctx, l, f)
}
