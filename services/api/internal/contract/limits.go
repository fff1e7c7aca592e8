// Package contract reads the api's OpenAPI document for what other code
// ties itself to: the limits of what a client sends. The api's test of its
// limits (httpapi) compares them with the domain's constants; limitsgen
// writes them as Go constants for the web's forms.
package contract

import (
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Limit is one limit the document sets on what a client sends.
type Limit struct {
	// Owner is where the limit is written: a component schema
	// ("SupplierInput"), a component parameter ("param:Limit"), an
	// operation's own parameter ("op:listAudit.entity") or an operation's
	// inline body ("body:createX").
	Owner string
	// Path names the properties below Owner ("address", "town"); "[]"
	// stands for an array's items.
	Path []string
	// Keyword is maxLength, minLength, minimum, maximum, minItems,
	// maxItems, pattern or default (of an integer).
	Keyword string
	// Value is the limit as written: an integer or a pattern.
	Value string
}

// Key names a limit "Owner.path.keyword": "SupplierInput.notes.maxLength".
func (l Limit) Key() string {
	return strings.Join(append(append([]string{l.Owner}, l.Path...), l.Keyword), ".")
}

// Limits walks every operation's parameters and request bodies, through
// every schema they refer to (each component once, under its own name),
// and returns their limits ordered by Key.
func Limits(spec *openapi3.T) []Limit {
	var out []Limit
	seen := map[string]bool{}
	var walk func(owner string, path []string, ref *openapi3.SchemaRef)
	walk = func(owner string, path []string, ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil {
			return
		}
		if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
			if seen[name] {
				return
			}
			seen[name] = true
			owner, path = name, nil
		}
		s := ref.Value
		put := func(keyword, value string) {
			out = append(out, Limit{Owner: owner, Path: slices.Clone(path), Keyword: keyword, Value: value})
		}
		num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		if s.MaxLength != nil {
			put("maxLength", strconv.FormatUint(*s.MaxLength, 10))
		}
		if s.MinLength > 0 {
			put("minLength", strconv.FormatUint(s.MinLength, 10))
		}
		if s.Min != nil {
			put("minimum", num(*s.Min))
		}
		if s.Max != nil {
			put("maximum", num(*s.Max))
		}
		if s.MinItems > 0 {
			put("minItems", strconv.FormatUint(s.MinItems, 10))
		}
		if s.MaxItems != nil {
			put("maxItems", strconv.FormatUint(*s.MaxItems, 10))
		}
		if s.Pattern != "" {
			put("pattern", s.Pattern)
		}
		if d, ok := s.Default.(float64); ok && s.Type.Is("integer") {
			put("default", num(d))
		}
		for name, p := range s.Properties {
			walk(owner, append(slices.Clone(path), name), p)
		}
		if s.Items != nil {
			walk(owner, append(slices.Clone(path), "[]"), s.Items)
		}
		for _, sub := range s.AllOf {
			walk(owner, path, sub)
		}
	}
	for _, item := range spec.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
				owner := "op:" + op.OperationID + "." + p.Value.Name
				if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
					owner = "param:" + name
				}
				walk(owner, nil, p.Value.Schema)
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk("body:"+op.OperationID, nil, mt.Schema)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Limit) int { return strings.Compare(a.Key(), b.Key()) })
	return slices.CompactFunc(out, func(a, b Limit) bool { return a.Key() == b.Key() })
}
