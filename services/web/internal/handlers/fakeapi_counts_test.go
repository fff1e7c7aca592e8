package handlers

import (
	"fmt"
	"net/http"
)

// count is the fake api's stock-take: each line's count against the one
// location's stock, an adjust movement per difference, the differences
// answered; an unknown item or an item twice is refused by its line.
func (l *ledgerAPI) count(w http.ResponseWriter, r *http.Request, body map[string]any) {
	key := r.Header.Get("Idempotency-Key")
	if res, ok := l.countsByKey[key]; ok && key != "" {
		w.Header().Set("Idempotent-Replayed", "true")
		writeJSON(w, 201, res)
		return
	}
	lines, _ := body["lines"].([]any)
	fields := map[string]problem{}
	seen := map[int64]int{}
	for i, raw := range lines {
		line, _ := raw.(map[string]any)
		id := toInt(line["item_id"])
		if first, ok := seen[id]; ok {
			fields[fmt.Sprintf("lines[%d].item_id", i)] = prob("duplicate", "is already counted", "line", first)
		}
		seen[id] = i
		if l.item(id) == nil {
			fields[fmt.Sprintf("lines[%d].item_id", i)] = prob("not_found", "does not exist")
		}
	}
	if len(fields) > 0 {
		apiError(w, 422, "validation_failed", "Check the marked fields; nothing was booked.", fields)
		return
	}
	diffs := []map[string]any{}
	for _, raw := range lines {
		line := raw.(map[string]any)
		id := toInt(line["item_id"])
		it := l.item(id)
		factor := int64(1)
		unit, _ := line["unit"].(string)
		switch unit {
		case "package":
			factor = toInt(it["package_size"])
		case "pallet":
			factor = toInt(it["package_size"]) * toInt(it["pallet_size"])
		default:
			unit = "base"
		}
		counted := toInt(line["quantity"]) * factor
		before := l.stock[id]
		if counted == before {
			continue
		}
		l.stock[id] = counted
		m := fakeMovement(int64(200+len(l.movements)), "adjust", id, counted-before, unit, factor,
			map[string]any{"created_by": 7, "counted": counted})
		m["item_sku"], m["item_name"] = it["sku"], it["name"]
		l.movements = append(l.movements, m)
		diffs = append(diffs, map[string]any{"item_id": id, "item_sku": it["sku"], "item_name": it["name"],
			"ledger": before, "counted": counted, "difference": counted - before, "movement_id": m["id"]})
	}
	res := map[string]any{"location_id": toInt(body["location_id"]), "lines": len(lines), "differences": diffs}
	l.counts = append(l.counts, body)
	l.countsByKey[key] = res
	writeJSON(w, 201, res)
}
