package catalogue

import (
	"context"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/page"
)

// CategoryFields are a category's writable fields.
type CategoryFields struct {
	Name        string `json:"name"` // unique, ignoring case
	Description string `json:"description"`
}

// Category groups items.
type Category struct {
	ID int64 `json:"id"`
	CategoryFields
	ArchivedAt *time.Time `json:"archived_at"`
	Version    int        `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// CategoryPatch changes the fields that are not nil.
type CategoryPatch struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
}

func (p CategoryPatch) apply(f *CategoryFields) {
	set(&f.Name, p.Name)
	set(&f.Description, p.Description)
}

func (f *CategoryFields) normalize() { trim(&f.Name, &f.Description) }

func (f CategoryFields) validate() error {
	p := apperr.Problems{}
	p.Line("name", f.Name, 1, MaxCategoryName)
	p.Text("description", f.Description, 0, MaxCategoryDescription)
	return p.Check()
}

// CreateCategory validates and stores a new category.
func (s *Service) CreateCategory(ctx context.Context, actor audit.Actor, in CategoryFields) (Category, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return Category{}, err
	}
	return s.store.CreateCategory(ctx, actor, in)
}

// GetCategory returns a category, archived or not.
func (s *Service) GetCategory(ctx context.Context, id int64) (Category, error) {
	return s.store.GetCategory(ctx, id)
}

// UpdateCategory applies p when the category is still at expectedVersion
// (0: whatever its version).
func (s *Service) UpdateCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, p CategoryPatch) (Category, error) {
	return s.store.UpdateCategory(ctx, actor, id, expectedVersion, func(c *Category) error {
		p.apply(&c.CategoryFields)
		c.normalize()
		return c.validate()
	})
}

// ArchiveCategory hides a category from pickers; items keep it.
func (s *Service) ArchiveCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) (Category, error) {
	return s.store.SetCategoryArchived(ctx, actor, id, expectedVersion, true)
}

// RestoreCategory undoes ArchiveCategory.
func (s *Service) RestoreCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) (Category, error) {
	return s.store.SetCategoryArchived(ctx, actor, id, expectedVersion, false)
}

// DeleteCategory removes a category no item refers to.
func (s *Service) DeleteCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.store.DeleteCategory(ctx, actor, id, expectedVersion)
}

// ListCategories lists categories by name.
func (s *Service) ListCategories(ctx context.Context, q ListQuery) (page.Page[Category], error) {
	l, err := q.list(SortName, SortName)
	if err != nil {
		return page.Page[Category]{}, err
	}
	return s.store.ListCategories(ctx, l)
}
