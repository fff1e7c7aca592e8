package sales

import (
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
)

func orderLines(t *testing.T) []Line {
	t.Helper()
	lines, err := DecideLines([]LineInput{
		{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 5},
		{ItemID: 2, Quantity: 12},
		{ItemID: 3, Quantity: 4},
	}, nil, items(beer(), water(), glass()), money.CHF, false)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func TestDecideDelivery(t *testing.T) {
	lines := orderLines(t)
	its := items(beer(), water(), glass())

	full, err := DecideDelivery(lines, DeliveryInput{}, its)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range full.Lines {
		if l.Delivered != lines[i].Quantity || l.DeliveredBase != lines[i].QuantityBase || l.Released != 0 || l.ReleasedBase != 0 {
			t.Errorf("full delivery line %d: %+v", i, l)
		}
	}

	short, err := DecideDelivery(lines, DeliveryInput{
		Delivered: []int64{3, 12, 0},
		Empties: []EmptiesInput{
			{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 2},
			{ItemID: 2, Quantity: 7},
		},
	}, its)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ delivered, deliveredBase, released, releasedBase int64 }{{3, 72, 2, 48}, {12, 12, 0, 0}, {0, 0, 4, 4}}
	for i, w := range want {
		l := short.Lines[i]
		if l.Delivered != w.delivered || l.DeliveredBase != w.deliveredBase || l.Released != w.released || l.ReleasedBase != w.releasedBase {
			t.Errorf("short line %d: %+v; want %+v", i, l, w)
		}
	}
	wantEmpties := []Empties{
		{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 2, Factor: 24, QuantityBase: 48, Deposit: 1020, VATRateBP: 810},
		{ItemID: 2, Unit: catalogue.UnitBase, Quantity: 7, Factor: 1, QuantityBase: 7, Deposit: 50, VATRateBP: 260},
	}
	if len(short.Empties) != len(wantEmpties) {
		t.Fatalf("empties %+v", short.Empties)
	}
	for i, w := range wantEmpties {
		if short.Empties[i] != w {
			t.Errorf("empties %d = %+v; want %+v", i, short.Empties[i], w)
		}
	}
	if c := short.Empties[0].Credit(); c != 2040 {
		t.Errorf("credit of 2 crates %v", c)
	}

	for _, tc := range []struct {
		name string
		in   DeliveryInput
		want map[string]apperr.FieldCode
	}{
		{"one quantity per line", DeliveryInput{Delivered: []int64{1}}, map[string]apperr.FieldCode{"delivered": apperr.FieldOutOfRange}},
		{"nothing delivered", DeliveryInput{Delivered: []int64{0, 0, 0}}, map[string]apperr.FieldCode{"delivered": apperr.FieldRequired}},
		{"more than ordered, negative", DeliveryInput{Delivered: []int64{6, -1, 4}}, map[string]apperr.FieldCode{
			"lines[0].quantity": apperr.FieldOutOfRange, "lines[1].quantity": apperr.FieldOutOfRange}},
		{"empties checked", DeliveryInput{Empties: []EmptiesInput{
			{ItemID: 3, Quantity: 1},
			{ItemID: 0, Quantity: 0},
			{ItemID: 9, Quantity: 1},
			{ItemID: 2, Unit: catalogue.UnitPallet, Quantity: 1},
			{ItemID: 1, Quantity: MaxQuantity + 1},
		}}, map[string]apperr.FieldCode{
			"empties[0].item_id":  apperr.FieldNotAllowed,
			"empties[1].item_id":  apperr.FieldTooSmall,
			"empties[1].quantity": apperr.FieldOutOfRange,
			"empties[2].item_id":  apperr.FieldNotFound,
			"empties[3].unit":     apperr.FieldNoPallet,
			"empties[4].quantity": apperr.FieldOutOfRange,
		}},
		{"too many empties", DeliveryInput{Empties: make([]EmptiesInput, MaxEmpties+1)}, map[string]apperr.FieldCode{"empties": apperr.FieldTooMany}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecideDelivery(lines, tc.in, its)
			checkFields(t, err, tc.want)
		})
	}
}
