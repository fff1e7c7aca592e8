package contract

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

const doc = `
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /a:
    post:
      operationId: createA
      parameters:
        - { $ref: "#/components/parameters/Limit" }
        - { name: q, in: query, schema: { type: string, maxLength: 9 } }
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/AInput" }
      responses: { "204": { description: ok } }
  /b:
    get:
      operationId: listB
      parameters:
        - { $ref: "#/components/parameters/Limit" }
      responses: { "204": { description: ok } }
components:
  parameters:
    Limit:
      name: limit
      in: query
      schema: { type: integer, minimum: 1, maximum: 500, default: 50 }
  schemas:
    AInput:
      type: object
      properties:
        name: { type: string, minLength: 1, maxLength: 200 }
        lines:
          type: array
          maxItems: 3
          items:
            type: object
            properties:
              code: { type: string, pattern: '^[A-Z]+$' }
    Unused:
      type: object
      properties:
        x: { type: string, maxLength: 1 }
`

func TestLimits(t *testing.T) {
	spec, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := spec.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range Limits(spec) {
		got[l.Key()] = l.Value
	}
	want := map[string]string{
		"AInput.lines.[].code.pattern": "^[A-Z]+$",
		"AInput.lines.maxItems":        "3",
		"AInput.name.maxLength":        "200",
		"AInput.name.minLength":        "1",
		"op:createA.q.maxLength":       "9",
		"param:Limit.default":          "50",
		"param:Limit.maximum":          "500",
		"param:Limit.minimum":          "1",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("limits (-want +got):\n%s", d)
	}
	if n := len(Limits(spec)); n != len(want) {
		t.Errorf("%d limits: a shared parameter is listed once", n)
	}
}
