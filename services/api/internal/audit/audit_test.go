package audit

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type thing struct {
	Name    string   `json:"name"`
	Price   int64    `json:"price"`
	Tags    []string `json:"tags"`
	Secret  string   `json:"-"`
	Version int      `json:"version"`
}

func TestDiff(t *testing.T) {
	before := &thing{Name: "Cola", Price: 150, Tags: []string{"a"}, Secret: "x", Version: 1}
	after := &thing{Name: "Cola Zero", Price: 150, Tags: []string{"a", "b"}, Secret: "y", Version: 2}
	got, err := Diff(before, after, "version")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Change{
		"name": {From: "Cola", To: "Cola Zero"},
		"tags": {From: []any{"a"}, To: []any{"a", "b"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("update (-want +got):\n%s", diff)
	}

	created, err := Diff(nil, after, "version")
	if err != nil || len(created) != 3 || created["price"].To != float64(150) || created["price"].From != nil {
		t.Errorf("create diff: %v %v", created, err)
	}
	var none *thing
	deleted, err := Diff(before, none)
	if err != nil || len(deleted) != 4 || deleted["name"].From != "Cola" {
		t.Errorf("delete diff: %v %v", deleted, err)
	}
	if same, _ := Diff(before, before); len(same) != 0 {
		t.Errorf("no change reported %v", same)
	}
	if _, err := Diff(before, 3); err == nil {
		t.Error("a non-object was accepted")
	}
}
