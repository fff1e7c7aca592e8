package catalogue

import (
	"context"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
)

// Address is a structured postal address, as the Swiss QR-bill wants it.
type Address struct {
	Street      string `json:"street"`
	HouseNumber string `json:"house_number"`
	PostalCode  string `json:"postal_code"`
	Town        string `json:"town"`
	Country     string `json:"country"` // ISO 3166 alpha-2; empty input becomes CH
}

func (a *Address) normalize() {
	trim(&a.Street, &a.HouseNumber, &a.PostalCode, &a.Town)
	upperOr(&a.Country, "CH")
}

// validate checks a; complete requires postal code and town (a customer's
// addresses; a supplier's may be partial). Field names are prefixed.
func (a Address) validate(p apperr.Problems, prefix string, complete bool) {
	min := 0
	if complete {
		min = 1
	}
	p.Line(prefix+"street", a.Street, 0, MaxStreet)
	p.Line(prefix+"house_number", a.HouseNumber, 0, MaxHouseNumber)
	p.Line(prefix+"postal_code", a.PostalCode, min, MaxPostalCode)
	p.Line(prefix+"town", a.Town, min, MaxTown)
	checkCountry(p, prefix+"country", a.Country)
	if (a.Country == "CH" || a.Country == "LI") && a.PostalCode != "" && !fourDigits(a.PostalCode) {
		p.Add(prefix+"postal_code", apperr.FieldError{Code: apperr.FieldPostalCode,
			Message: "must be four digits in Switzerland and Liechtenstein"}.With("country", a.Country))
	}
}

func fourDigits(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// SupplierFields are a supplier's writable fields.
type SupplierFields struct {
	Name             string  `json:"name"`
	ContactPerson    string  `json:"contact_person"`
	Email            string  `json:"email"`
	Phone            string  `json:"phone"`
	Address          Address `json:"address"`
	PaymentTermsDays int     `json:"payment_terms_days"` // 0–365
	Notes            string  `json:"notes"`
}

// DefaultSupplierFields are a new supplier's fields before input: the
// defaults the schema has for fields a client leaves out.
func DefaultSupplierFields() SupplierFields {
	return SupplierFields{Address: Address{Country: "CH"}, PaymentTermsDays: 30}
}

// Supplier sells items to the depot.
type Supplier struct {
	ID int64 `json:"id"`
	SupplierFields
	ArchivedAt *time.Time `json:"archived_at"`
	Version    int        `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// SupplierPatch changes the fields that are not nil. Address replaces the
// whole address.
type SupplierPatch struct {
	Name             *string  `json:"name"`
	ContactPerson    *string  `json:"contact_person"`
	Email            *string  `json:"email"`
	Phone            *string  `json:"phone"`
	Address          *Address `json:"address"`
	PaymentTermsDays *int     `json:"payment_terms_days"`
	Notes            *string  `json:"notes"`
}

func (p SupplierPatch) apply(f *SupplierFields) {
	set(&f.Name, p.Name)
	set(&f.ContactPerson, p.ContactPerson)
	set(&f.Email, p.Email)
	set(&f.Phone, p.Phone)
	set(&f.Address, p.Address)
	set(&f.PaymentTermsDays, p.PaymentTermsDays)
	set(&f.Notes, p.Notes)
}

func (f *SupplierFields) normalize() {
	trim(&f.Name, &f.ContactPerson, &f.Email, &f.Phone, &f.Notes)
	f.Address.normalize()
}

func (f SupplierFields) validate() error {
	p := apperr.Problems{}
	p.Line("name", f.Name, 1, MaxSupplierName)
	p.Line("contact_person", f.ContactPerson, 0, MaxContactPerson)
	checkEmail(p, "email", f.Email)
	checkPhone(p, "phone", f.Phone)
	f.Address.validate(p, "address.", false)
	p.Range("payment_terms_days", int64(f.PaymentTermsDays), 0, MaxPaymentTerms)
	p.Text("notes", f.Notes, 0, MaxSupplierNotes)
	return p.Check()
}

// CreateSupplier validates and stores a new supplier.
func (s *Service) CreateSupplier(ctx context.Context, actor audit.Actor, in SupplierFields) (Supplier, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return Supplier{}, err
	}
	return s.store.CreateSupplier(ctx, actor, in)
}

// GetSupplier returns a supplier, archived or not.
func (s *Service) GetSupplier(ctx context.Context, id int64) (Supplier, error) {
	return s.store.GetSupplier(ctx, id)
}

// UpdateSupplier applies p when the supplier is still at expectedVersion
// (0: whatever its version).
func (s *Service) UpdateSupplier(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, p SupplierPatch) (Supplier, error) {
	return s.store.UpdateSupplier(ctx, actor, id, expectedVersion, func(c *Supplier) error {
		p.apply(&c.SupplierFields)
		c.normalize()
		return c.validate()
	})
}

// ArchiveSupplier keeps a supplier for history but out of new references.
func (s *Service) ArchiveSupplier(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) (Supplier, error) {
	return s.store.SetSupplierArchived(ctx, actor, id, expectedVersion, true)
}

// RestoreSupplier undoes ArchiveSupplier.
func (s *Service) RestoreSupplier(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) (Supplier, error) {
	return s.store.SetSupplierArchived(ctx, actor, id, expectedVersion, false)
}

// DeleteSupplier removes a supplier nothing refers to.
func (s *Service) DeleteSupplier(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.store.DeleteSupplier(ctx, actor, id, expectedVersion)
}

// ListSuppliers lists suppliers by name.
func (s *Service) ListSuppliers(ctx context.Context, q ListQuery) (page.Page[Supplier], error) {
	l, err := q.list(SortName, SortName)
	if err != nil {
		return page.Page[Supplier]{}, err
	}
	return s.store.ListSuppliers(ctx, l)
}

// CustomerFields are a customer's writable fields. The number is not among
// them: the store assigns it and it never changes.
type CustomerFields struct {
	Name           string  `json:"name"` // at most 70 characters: the QR-bill's limit
	ContactPerson  string  `json:"contact_person"`
	Email          string  `json:"email"`
	Phone          string  `json:"phone"`
	BillingAddress Address `json:"billing_address"`
	// DeliveryAddress is nil when goods go to the billing address.
	DeliveryAddress  *Address      `json:"delivery_address"`
	PaymentTermsDays int           `json:"payment_terms_days"` // 0–365
	CreditLimit      *money.Amount `json:"credit_limit"`       // nil: no limit
	Currency         string        `json:"currency"`           // CHF or EUR; empty input becomes CHF
}

// DefaultCustomerFields are a new customer's fields before input: the
// defaults the schema has for fields a client leaves out.
func DefaultCustomerFields() CustomerFields {
	return CustomerFields{BillingAddress: Address{Country: "CH"}, PaymentTermsDays: 30, Currency: money.CHF}
}

// Customer buys from the depot.
type Customer struct {
	ID     int64 `json:"id"`
	Number int64 `json:"number"` // from 1000 upward, never reused
	CustomerFields
	ArchivedAt *time.Time `json:"archived_at"`
	Version    int        `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// CustomerPatch changes the fields that are set. Addresses are replaced whole.
type CustomerPatch struct {
	Name             *string                `json:"name"`
	ContactPerson    *string                `json:"contact_person"`
	Email            *string                `json:"email"`
	Phone            *string                `json:"phone"`
	BillingAddress   *Address               `json:"billing_address"`
	DeliveryAddress  Optional[Address]      `json:"delivery_address"`
	PaymentTermsDays *int                   `json:"payment_terms_days"`
	CreditLimit      Optional[money.Amount] `json:"credit_limit"`
	Currency         *string                `json:"currency"`
}

func (p CustomerPatch) apply(f *CustomerFields) {
	set(&f.Name, p.Name)
	set(&f.ContactPerson, p.ContactPerson)
	set(&f.Email, p.Email)
	set(&f.Phone, p.Phone)
	set(&f.BillingAddress, p.BillingAddress)
	p.DeliveryAddress.apply(&f.DeliveryAddress)
	set(&f.PaymentTermsDays, p.PaymentTermsDays)
	p.CreditLimit.apply(&f.CreditLimit)
	set(&f.Currency, p.Currency)
}

func (f *CustomerFields) normalize() {
	trim(&f.Name, &f.ContactPerson, &f.Email, &f.Phone)
	f.BillingAddress.normalize()
	if f.DeliveryAddress != nil {
		d := *f.DeliveryAddress
		d.normalize()
		f.DeliveryAddress = &d
	}
	upperOr(&f.Currency, money.CHF)
}

func (f CustomerFields) validate() error {
	p := apperr.Problems{}
	p.Line("name", f.Name, 1, MaxCustomerName)
	p.Line("contact_person", f.ContactPerson, 0, MaxContactPerson)
	checkEmail(p, "email", f.Email)
	checkPhone(p, "phone", f.Phone)
	f.BillingAddress.validate(p, "billing_address.", true)
	if f.DeliveryAddress != nil {
		f.DeliveryAddress.validate(p, "delivery_address.", true)
	}
	p.Range("payment_terms_days", int64(f.PaymentTermsDays), 0, MaxPaymentTerms)
	checkAmount(p, "credit_limit", f.CreditLimit)
	checkCurrency(p, "currency", f.Currency)
	return p.Check()
}

// CreateCustomer validates and stores a new customer with the next number.
func (s *Service) CreateCustomer(ctx context.Context, actor audit.Actor, in CustomerFields) (Customer, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return Customer{}, err
	}
	return s.store.CreateCustomer(ctx, actor, in)
}

// GetCustomer returns a customer, archived or not.
func (s *Service) GetCustomer(ctx context.Context, id int64) (Customer, error) {
	return s.store.GetCustomer(ctx, id)
}

// UpdateCustomer applies p when the customer is still at expectedVersion
// (0: whatever its version).
func (s *Service) UpdateCustomer(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, p CustomerPatch) (Customer, error) {
	return s.store.UpdateCustomer(ctx, actor, id, expectedVersion, func(c *Customer) error {
		p.apply(&c.CustomerFields)
		c.normalize()
		return c.validate()
	})
}

// ArchiveCustomer keeps a customer for history but out of new orders.
func (s *Service) ArchiveCustomer(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) (Customer, error) {
	return s.store.SetCustomerArchived(ctx, actor, id, expectedVersion, true)
}

// RestoreCustomer undoes ArchiveCustomer.
func (s *Service) RestoreCustomer(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) (Customer, error) {
	return s.store.SetCustomerArchived(ctx, actor, id, expectedVersion, false)
}

// DeleteCustomer removes a customer nothing refers to. The number is not
// handed out again.
func (s *Service) DeleteCustomer(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.store.DeleteCustomer(ctx, actor, id, expectedVersion)
}

// ListCustomers lists customers by name (default) or number.
func (s *Service) ListCustomers(ctx context.Context, q ListQuery) (page.Page[Customer], error) {
	l, err := q.list(SortName, SortName, SortNumber)
	if err != nil {
		return page.Page[Customer]{}, err
	}
	return s.store.ListCustomers(ctx, l)
}
