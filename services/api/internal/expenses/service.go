package expenses

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// Store keeps expenses, their categories and receipt files. It checks what
// only the database knows (that the supplier and category exist and are
// not archived, versions) and writes each change with its audit record in
// one transaction.
type Store interface {
	Categories(ctx context.Context, archivedToo bool) ([]Category, error)
	CreateCategory(ctx context.Context, actor audit.Actor, f CategoryFields) (Category, error)
	// UpdateCategory applies change to the category at expectedVersion
	// (0: any) under lock.
	UpdateCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(*Category) error) (Category, error)
	SetCategoryArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (Category, error)

	Create(ctx context.Context, actor audit.Actor, f Fields) (Expense, error)
	// Update replaces the fields of the expense at expectedVersion (0:
	// any) with what decide returns for it, under lock.
	Update(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, decide func(Expense) (Fields, error)) (Expense, error)
	SetArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (Expense, error)
	// Delete removes an expense and its receipts; one booked with a goods
	// receipt is refused (apperr.CodeConflict): archive it instead.
	Delete(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error
	Get(ctx context.Context, id int64) (Expense, error)
	// BookedBy is the id of the expense the goods receipt whose first
	// movement is movementID booked, or nil.
	BookedBy(ctx context.Context, movementID int64) (*int64, error)
	List(ctx context.Context, f Filter, p page.Request) (page.Page[Expense], error)
	// EachExpense calls fn with every expense f matches, in the list's
	// order, as they are read.
	EachExpense(ctx context.Context, f Filter, fn func(Expense) error) error

	AddReceipt(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, f files.New) (Expense, error)
	RemoveReceipt(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, fileID int64) (Expense, error)
	Receipt(ctx context.Context, id, fileID int64) (files.File, []byte, error)
}

// Service is the entry point of the api's handlers.
type Service struct {
	store   Store
	now     func() time.Time
	zone    *time.Location
	maxFile int64
}

// NewService returns a service keeping expenses in store; now is time.Now
// when nil; days are counted in zone (nil: UTC); receipts may be maxFile
// bytes (0: files.DefaultMaxSize).
func NewService(store Store, now func() time.Time, zone *time.Location, maxFile int64) *Service {
	if now == nil {
		now = time.Now
	}
	if zone == nil {
		zone = time.UTC
	}
	if maxFile <= 0 {
		maxFile = files.DefaultMaxSize
	}
	return &Service{store: store, now: now, zone: zone, maxFile: maxFile}
}

// MaxFileSize is the largest receipt accepted, in bytes.
func (s *Service) MaxFileSize() int64 { return s.maxFile }

func (s *Service) today() time.Time { return sales.Day(s.now().In(s.zone)) }

func notFound() error { return apperr.New(apperr.CodeNotFound, "Expense not found.") }

// Categories lists the categories by name; archived ones only if asked.
func (s *Service) Categories(ctx context.Context, archivedToo bool) ([]Category, error) {
	return s.store.Categories(ctx, archivedToo)
}

// CreateCategory validates and stores a new category.
func (s *Service) CreateCategory(ctx context.Context, actor audit.Actor, in CategoryFields) (Category, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return Category{}, err
	}
	return s.store.CreateCategory(ctx, actor, in)
}

// UpdateCategory applies p to the category at expectedVersion (0: any).
func (s *Service) UpdateCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, p CategoryPatch) (Category, error) {
	return s.store.UpdateCategory(ctx, actor, id, expectedVersion, func(c *Category) error {
		if p.Name != nil {
			c.Name = *p.Name
		}
		if p.VATFigure != nil {
			c.VATFigure = *p.VATFigure
		}
		c.normalize()
		return c.validate()
	})
}

// SetCategoryArchived archives a category (it leaves the pickers; its
// expenses keep it) or restores it.
func (s *Service) SetCategoryArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (Category, error) {
	return s.store.SetCategoryArchived(ctx, actor, id, expectedVersion, archived)
}

// Create validates and stores a new expense.
func (s *Service) Create(ctx context.Context, actor audit.Actor, in Fields) (Expense, error) {
	f, err := s.check(in)
	if err != nil {
		return Expense{}, err
	}
	return s.store.Create(ctx, actor, f)
}

// Update replaces an expense's fields. Its receipts, archive state and
// link to a goods receipt stay; an expense booked with a goods receipt
// keeps that receipt's date, supplier and amount.
func (s *Service) Update(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, in Fields) (Expense, error) {
	if id <= 0 {
		return Expense{}, notFound()
	}
	f, err := s.check(in)
	if err != nil {
		return Expense{}, err
	}
	return s.store.Update(ctx, actor, id, expectedVersion, func(e Expense) (Fields, error) {
		if e.ReceiptMovementID != nil {
			p := apperr.Problems{}
			if !f.Date.Equal(e.Date) {
				p.Add("date", bookedWithReceipt())
			}
			if f.SupplierID != e.SupplierID {
				p.Add("supplier_id", bookedWithReceipt())
			}
			if f.Amount != e.Amount || f.Currency != e.Currency {
				p.Add("amount", bookedWithReceipt())
			}
			if err := p.Check(); err != nil {
				return Fields{}, err
			}
		}
		return f, nil
	})
}

func bookedWithReceipt() apperr.FieldError {
	return apperr.NotPermitted().Because("is the goods receipt's, which booked this expense")
}

// SetArchived archives an expense or restores it.
func (s *Service) SetArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (Expense, error) {
	if id <= 0 {
		return Expense{}, notFound()
	}
	return s.store.SetArchived(ctx, actor, id, expectedVersion, archived)
}

// Delete removes an expense that no goods receipt booked.
func (s *Service) Delete(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	if id <= 0 {
		return notFound()
	}
	return s.store.Delete(ctx, actor, id, expectedVersion)
}

// Get returns one expense with its receipts' descriptions.
func (s *Service) Get(ctx context.Context, id int64) (Expense, error) {
	if id <= 0 {
		return Expense{}, notFound()
	}
	return s.store.Get(ctx, id)
}

// BookedBy is the expense a goods receipt booked, given the receipt's first
// movement; nil when it booked none.
func (s *Service) BookedBy(ctx context.Context, movementID int64) (*int64, error) {
	return s.store.BookedBy(ctx, movementID)
}

// List pages through expenses by date, newest first.
func (s *Service) List(ctx context.Context, f Filter, p page.Request) (page.Page[Expense], error) {
	if err := checkFilter(&f); err != nil {
		return page.Page[Expense]{}, err
	}
	return s.store.List(ctx, f, p)
}

// checkFilter validates a list's or an export's filter and trims its text.
func checkFilter(f *Filter) error {
	pr := apperr.Problems{}
	pr.ID("supplier_id", f.SupplierID)
	pr.ID("category_id", f.CategoryID)
	if f.Status != "" && !slices.Contains(Statuses(), f.Status) {
		pr.Add("status", apperr.NotAllowed(Statuses()...))
	}
	f.Q = strings.TrimSpace(f.Q)
	pr.Line("q", f.Q, 0, MaxSearch)
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		pr.Add("to", apperr.MustBeAfter("from"))
	}
	return pr.Check()
}

// AddReceipt checks an uploaded receipt (its type judged from its bytes:
// PDF, PNG, JPEG or WebP) and stores it with the expense.
func (s *Service) AddReceipt(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, name string, content []byte) (Expense, error) {
	if id <= 0 {
		return Expense{}, notFound()
	}
	f, err := files.Check("file", files.Upload{Name: name, Content: content}, s.maxFile, false)
	if err != nil {
		return Expense{}, err
	}
	f.Owner, f.OwnerID = files.OwnerExpenseReceipt, id
	return s.store.AddReceipt(ctx, actor, id, expectedVersion, f)
}

// RemoveReceipt deletes one of an expense's receipts.
func (s *Service) RemoveReceipt(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, fileID int64) (Expense, error) {
	if id <= 0 || fileID <= 0 {
		return Expense{}, notFound()
	}
	return s.store.RemoveReceipt(ctx, actor, id, expectedVersion, fileID)
}

// Receipt returns a receipt's description and bytes.
func (s *Service) Receipt(ctx context.Context, id, fileID int64) (files.File, []byte, error) {
	if id <= 0 || fileID <= 0 {
		return files.File{}, nil, apperr.New(apperr.CodeNotFound, "Receipt not found.")
	}
	return s.store.Receipt(ctx, id, fileID)
}

func (s *Service) check(in Fields) (Fields, error) { return Check(in, s.today()) }

// Check validates an expense's fields on the calendar day today (at 00:00
// UTC) and completes them: the day only of the dates, CHF's rate, each VAT
// line in CHF, the lines in the order of their rates.
func Check(in Fields, today time.Time) (Fields, error) {
	p := apperr.Problems{}
	if in.Date.IsZero() {
		p.Add("date", apperr.Required())
	} else if in.Date = sales.Day(in.Date); in.Date.After(today) {
		p.Add("date", notInFuture())
	}
	if in.SupplierID <= 0 {
		p.Add("supplier_id", apperr.PositiveID())
	}
	if in.CategoryID <= 0 {
		p.Add("category_id", apperr.PositiveID())
	}
	switch in.Currency {
	case money.CHF:
		if in.Rate != 0 && in.Rate != RateScale {
			p.Add("rate", apperr.NotPermitted().Because("is 1 for CHF"))
		}
		in.Rate = RateScale
	case money.EUR:
		if in.Rate <= 0 {
			p.Add("rate", apperr.Required().Because("is required for EUR: the CHF value of 1 EUR on the day"))
		}
	default:
		p.Add("currency", apperr.NotAllowed(money.CHF, money.EUR))
	}
	if in.Amount <= 0 || in.Amount > MaxAmount {
		p.Add("amount", apperr.OutOfRange(1, int64(MaxAmount)).Because("must be more than 0.00 and at most "+MaxAmount.String()))
	}
	if len(in.VAT) > MaxVATLines {
		p.Add("vat", apperr.TooMany(MaxVATLines))
	}
	in.VAT = slices.Clone(in.VAT)
	var vat money.Amount
	seen := map[int]bool{}
	for i, l := range in.VAT {
		field := "vat[" + strconv.Itoa(i) + "]"
		if l.RateBP < 1 || l.RateBP > MaxVATRateBP {
			p.Add(field+".rate", apperr.OutOfRange(1, MaxVATRateBP).Because("must be a rate above 0 % and at most 100 %"))
		} else if seen[l.RateBP] {
			p.Add(field+".rate", apperr.Taken().Because("appears twice: one line per rate"))
		}
		seen[l.RateBP] = true
		if l.VAT <= 0 || l.VAT > MaxAmount {
			p.Add(field+".vat", apperr.OutOfRange(1, int64(MaxAmount)).Because("must be more than 0.00"))
		}
		vat += l.VAT
		in.VAT[i].VATCHF = ToCHF(l.VAT, in.Rate)
	}
	if _, bad := p["amount"]; !bad && vat >= in.Amount && len(in.VAT) > 0 {
		p.Add("vat", apperr.TooLarge(int64(in.Amount)-1).Because("must be less than the amount, which includes it"))
	}
	// Kept in the order of their rates, as the store reads them back.
	slices.SortFunc(in.VAT, func(a, b VATLine) int { return a.RateBP - b.RateBP })
	in.Note = strings.TrimSpace(in.Note)
	p.Text("note", in.Note, 0, MaxNote)
	switch in.Status {
	case Open:
		if in.PaidOn != nil {
			p.Add("paid_on", apperr.NotPermitted().Because("is only set on a paid expense"))
		}
	case Paid:
		if in.PaidOn == nil {
			p.Add("paid_on", apperr.Required().Because("is required when the expense is paid"))
		} else if d := sales.Day(*in.PaidOn); d.After(today) {
			p.Add("paid_on", notInFuture())
		} else {
			in.PaidOn = &d
		}
	default:
		p.Add("status", apperr.NotAllowed(Statuses()...))
	}
	return in, p.Check()
}

func notInFuture() apperr.FieldError {
	return apperr.InvalidFormat().Because("must not be in the future")
}
