package expenses

import (
	"maps"
	"math/big"
	"slices"
	"time"

	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// ReceiptLine is a priced line of a goods receipt, as the expense it books
// counts it: the quantity entered, the cost of one entered unit in
// millionths of a franc (as the receipt was priced) and the item's VAT rate.
type ReceiptLine struct {
	Quantity       int64
	UnitCostMicros int64
	VATRateBP      int
}

// ReceiptChoice is what the person booking a goods receipt chooses for the
// expense it books: paid or not, and a note.
type ReceiptChoice struct {
	Status Status
	PaidOn *time.Time
	Note   string
}

// microsPerRappen converts a cost in millionths of a franc to Rappen.
const microsPerRappen = 10_000

// FromReceipt makes the purchase expense of a priced goods receipt booked
// on day from supplier: in CHF, to category; per VAT rate the lines' value
// (their costs summed exactly, then rounded half away from zero to the
// Rappen) and its VAT rounded as an invoice rounds it (sales.VATOf); the
// amount is the sum of both over the rates, and each rate above 0 % is an
// input VAT line. The fields still go through the rules of any expense.
func FromReceipt(day time.Time, supplierID, categoryID int64, lines []ReceiptLine, choice ReceiptChoice) Fields {
	micros := map[int]*big.Int{}
	for _, l := range lines {
		m, ok := micros[l.VATRateBP]
		if !ok {
			m = new(big.Int)
			micros[l.VATRateBP] = m
		}
		m.Add(m, new(big.Int).Mul(big.NewInt(l.Quantity), big.NewInt(l.UnitCostMicros)))
	}
	f := Fields{Date: day, SupplierID: supplierID, CategoryID: categoryID, Currency: money.CHF, Rate: RateScale,
		Note: choice.Note, Status: choice.Status, PaidOn: choice.PaidOn}
	for _, rate := range slices.Sorted(maps.Keys(micros)) {
		net := roundedRappen(micros[rate])
		vat := sales.VATOf(net, rate)
		f.Amount += net + vat
		if rate > 0 && vat > 0 {
			f.VAT = append(f.VAT, VATLine{RateBP: rate, VAT: vat})
		}
	}
	return f
}

// roundedRappen is micros / 10,000 rounded half away from zero; a sum too
// large for an amount is returned as one above MaxAmount, which the rules
// refuse.
func roundedRappen(micros *big.Int) money.Amount {
	n := new(big.Int).Abs(micros)
	n.Add(n, big.NewInt(microsPerRappen/2))
	n.Quo(n, big.NewInt(microsPerRappen))
	if !n.IsInt64() || n.Int64() > int64(MaxAmount) {
		return MaxAmount + 1
	}
	if micros.Sign() < 0 {
		return -money.Amount(n.Int64())
	}
	return money.Amount(n.Int64())
}
