package sales

import (
	"slices"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/money"
)

// Settings are the company's settings that change totals.
type Settings struct {
	// DepositsTaxable makes deposit lines and empties credits carry the VAT
	// rate of their item; by default they carry none.
	DepositsTaxable bool
}

// DocLine is a billed line of an invoice or credit note.
type DocLine struct {
	ItemID    int64
	Quantity  int64        // in the line's entered unit; ≥ 0
	UnitPrice money.Amount // of one unit; ≥ 0
	VATRateBP int
	Deposit   money.Amount // of one unit; ≥ 0
}

// DocEmpties is a credited kind of empties on an invoice or credit note.
type DocEmpties struct {
	ItemID    int64
	Quantity  int64
	Deposit   money.Amount // of one unit, credited
	VATRateBP int
}

// VATGroup is one line of the VAT summary.
type VATGroup struct {
	RateBP int
	Base   money.Amount // net taxed at RateBP
	VAT    money.Amount // Base × RateBP / 10000, rounded half away from zero
}

// Totals of a document, all in minor units. For an invoice:
//
//	Gross = Net + Deposits − EmptiesCredit + VAT   (before rounding)
//	Payable = Gross + Rounding
//
// VAT is the sum of the per-rate VAT of the summary, each rounded on its
// own (never the sum of rounded line VATs). A credit note's totals are the
// negation of the totals of what it credits: every field changes sign, so
// its VAT lines round exactly as the invoice's do.
type Totals struct {
	Currency      string
	Net           money.Amount // Σ quantity × unit price of the goods
	Deposits      money.Amount // Σ quantity × deposit of the goods
	EmptiesCredit money.Amount // Σ quantity × deposit of the empties; subtracted
	VAT           money.Amount // Σ VATGroups[].VAT
	VATGroups     []VATGroup   // by rate, ascending; only rates that occur
	Gross         money.Amount // before rounding
	Rounding      money.Amount // CHF: to 0.05, its own line; EUR: 0
	Payable       money.Amount // Gross + Rounding
}

// Negate returns t with every amount's sign changed (a credit note's).
func (t Totals) Negate() Totals {
	n := t
	n.Net, n.Deposits, n.EmptiesCredit, n.VAT = -t.Net, -t.Deposits, -t.EmptiesCredit, -t.VAT
	n.Gross, n.Rounding, n.Payable = -t.Gross, -t.Rounding, -t.Payable
	n.VATGroups = make([]VATGroup, len(t.VATGroups))
	for i, g := range t.VATGroups {
		n.VATGroups[i] = VATGroup{RateBP: g.RateBP, Base: -g.Base, VAT: -g.VAT}
	}
	return n
}

// ComputeTotals adds up a document's lines and empties. Quantities,
// prices and deposits must not be negative (credit notes negate the
// result); a rate lies in 0..10000 basis points. Products and sums beyond
// money.MaxWholeDigits are refused with an overflow on the line's
// quantity (lines[i].quantity, empties[i].quantity) or on "lines" for
// the sums: nothing wraps around.
//
// VAT rule: per rate, VAT = base × rate / 10000 rounded half away from
// zero to the minor unit (0.405 → 0.41), where base is the net of the
// goods at that rate plus, when deposits are taxable, their deposits
// minus the empties credited at that rate. CHF payable amounts are
// rounded to 0.05 (halves up: x.x2 → x.x0, x.x3 → x.x5, x.x7 → x.x5,
// x.x8 → x.y0); EUR are not rounded.
func ComputeTotals(currency string, s Settings, lines []DocLine, empties []DocEmpties) (Totals, error) {
	p := apperr.Problems{}
	t := Totals{Currency: currency}
	bases := map[int]money.Amount{}
	overflow := func(field string) {
		p.Add(field, apperr.Overflow().Because("makes an amount too large to count"))
	}
	add := func(sum *money.Amount, v money.Amount, field string) {
		if s, ok := addAmount(*sum, v); ok {
			*sum = s
		} else {
			overflow(field)
		}
	}
	for i, l := range lines {
		f := lineField("lines", i, "quantity")
		if l.Quantity < 0 || l.UnitPrice < 0 || l.Deposit < 0 || l.VATRateBP < 0 || l.VATRateBP > 10_000 {
			p.Add(f, apperr.TooSmall(0))
			continue
		}
		net, ok1 := mulAmount(l.Quantity, l.UnitPrice)
		dep, ok2 := mulAmount(l.Quantity, l.Deposit)
		if !ok1 || !ok2 {
			overflow(f)
			continue
		}
		add(&t.Net, net, f)
		add(&t.Deposits, dep, f)
		b := bases[l.VATRateBP]
		add(&b, net, f)
		if s.DepositsTaxable {
			add(&b, dep, f)
		}
		bases[l.VATRateBP] = b
	}
	for i, e := range empties {
		f := lineField("empties", i, "quantity")
		if e.Quantity < 0 || e.Deposit < 0 || e.VATRateBP < 0 || e.VATRateBP > 10_000 {
			p.Add(f, apperr.TooSmall(0))
			continue
		}
		c, ok := mulAmount(e.Quantity, e.Deposit)
		if !ok {
			overflow(f)
			continue
		}
		add(&t.EmptiesCredit, c, f)
		if s.DepositsTaxable {
			b := bases[e.VATRateBP]
			add(&b, -c, f)
			bases[e.VATRateBP] = b
		}
	}
	if err := p.Check(); err != nil {
		return Totals{}, err
	}
	rates := make([]int, 0, len(bases))
	for r := range bases {
		rates = append(rates, r)
	}
	slices.Sort(rates)
	for _, r := range rates {
		g := VATGroup{RateBP: r, Base: bases[r], VAT: VATOf(bases[r], r)}
		t.VATGroups = append(t.VATGroups, g)
		add(&t.VAT, g.VAT, "lines")
	}
	add(&t.Gross, t.Net, "lines")
	add(&t.Gross, t.Deposits, "lines")
	add(&t.Gross, -t.EmptiesCredit, "lines")
	add(&t.Gross, t.VAT, "lines")
	if err := p.Check(); err != nil {
		return Totals{}, err
	}
	t.Payable = t.Gross
	if currency == money.CHF {
		t.Payable = t.Gross.Round5()
		t.Rounding = t.Payable - t.Gross
		if !inRange(t.Payable) {
			return Totals{}, apperr.FieldProblem("Check the marked fields.", "lines", apperr.Overflow().Because("makes an amount too large to count"))
		}
	}
	return t, nil
}
