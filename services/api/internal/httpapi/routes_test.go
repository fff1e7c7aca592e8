package httpapi_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
)

var echoParam = regexp.MustCompile(`:([a-z_]+)`)

// Every route the api serves is in the document and every operation of the
// document is served.
func TestRoutesMatchTheDocument(t *testing.T) {
	en := newEnv(t)
	spec, err := oapi.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, item := range spec.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range en.e.Routes() {
		if strings.HasPrefix(r.Path, "/api/docs") || strings.HasPrefix(r.Path, "/api/redoc") {
			continue // the documentation pages themselves
		}
		if r.Method == "echo_route_any" || strings.HasSuffix(r.Name, "glob..func1") {
			continue
		}
		served[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	for k := range served {
		if !documented[k] {
			t.Errorf("served but not documented: %s", k)
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("documented but not served: %s", k)
		}
	}
	if len(served) < 20 {
		t.Fatalf("only %d routes found; the walk is broken", len(served))
	}
}

// operation is one documented operation with a request that passes
// validation, so only authorisation decides the answer.
type operation struct {
	id, method, path string
	body             any
	contentType      string
}

func operations(t *testing.T, en *env) []operation {
	t.Helper()
	viewer := en.users[auth.RoleViewer].ID
	ops := []operation{
		{"GetLiveness", "GET", "/healthz", nil, ""},
		{"GetReadiness", "GET", "/readyz", nil, ""},
		{"GetHealth", "GET", "/api/health", nil, ""},
		{"GetOpenAPI", "GET", "/api/openapi.json", nil, ""},
		{"Login", "POST", "/api/v1/auth/login", map[string]string{"email": "nobody@depot.example", "password": "x"}, ""},
		{"RefreshToken", "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": "dpr_unknown"}, ""},
		{"ListSessions", "GET", "/api/v1/auth/sessions", nil, ""},
		{"RevokeOtherSessions", "DELETE", "/api/v1/auth/sessions", nil, ""},
		{"RevokeSession", "DELETE", "/api/v1/auth/sessions/00000000-0000-0000-0000-000000000000", nil, ""},
		{"GetMe", "GET", "/api/v1/me", nil, ""},
		{"UpdateMe", "PATCH", "/api/v1/me", map[string]string{"language": "en"}, ""},
		{"ChangeMyPassword", "POST", "/api/v1/me/password", map[string]string{"current_password": "wrong", "new_password": "x"}, ""},
		{"ListTokens", "GET", "/api/v1/tokens", nil, ""},
		{"CreateToken", "POST", "/api/v1/tokens", map[string]any{"name": "", "scope": "read", "expires_in_days": 1}, ""},
		{"RevokeToken", "DELETE", "/api/v1/tokens/999999", nil, ""},
		{"ListUsers", "GET", "/api/v1/users", nil, ""},
		{"CreateUser", "POST", "/api/v1/users", map[string]string{"email": "bad", "name": "X", "role": "viewer", "password": "x"}, ""},
		{"GetUser", "GET", fmt.Sprintf("/api/v1/users/%d", viewer), nil, ""},
		{"UpdateUser", "PATCH", fmt.Sprintf("/api/v1/users/%d", viewer), map[string]string{"name": ""}, ""},
		{"ListAudit", "GET", "/api/v1/audit?entity=user", nil, ""},
		{"ListItemSuppliers", "GET", "/api/v1/items/999999/suppliers", nil, ""},
		{"PutItemSupplier", "PUT", "/api/v1/items/999999/suppliers/1", map[string]any{}, ""},
		{"DeleteItemSupplier", "DELETE", "/api/v1/items/999999/suppliers/1", nil, ""},
		{"CreateMovement", "POST", "/api/v1/movements", map[string]any{"type": "issue", "item_id": 999999, "location_id": 999999, "quantity": 1}, ""},
		{"ReverseMovement", "POST", "/api/v1/movements/999999/reverse", map[string]any{}, ""},
		{"ListMovements", "GET", "/api/v1/movements", nil, ""},
		{"GetMovement", "GET", "/api/v1/movements/999999", nil, ""},
		{"ListItemMovements", "GET", "/api/v1/items/999999/movements", nil, ""},
		{"GetItemStock", "GET", "/api/v1/items/999999/stock", nil, ""},
		{"ListStock", "GET", "/api/v1/stock?low_stock=true", nil, ""},
		{"ExportMovements", "GET", "/api/v1/movements/export?type=receipt", nil, ""},
		{"CreateReceipt", "POST", "/api/v1/movements/receipts", map[string]any{"supplier_id": 999999,
			"lines": []map[string]any{{"item_id": 999999, "location_id": 999999, "quantity": 1}}}, ""},
		{"CreateCount", "POST", "/api/v1/movements/counts", map[string]any{"location_id": 999999,
			"lines": []map[string]any{{"item_id": 999999, "quantity": 1}}}, ""},
		{"GetDashboard", "GET", "/api/v1/dashboard", nil, ""},
		{"ExportItems", "GET", "/api/v1/items/export", nil, ""},
		{"ExportCustomers", "GET", "/api/v1/customers/export", nil, ""},
		{"ExportSuppliers", "GET", "/api/v1/suppliers/export", nil, ""},
		// A header with an unknown column: allowed callers get 422, nothing is written.
		{"ImportItems", "POST", "/api/v1/items/import?dry_run=true", "nonsense\n", "text/csv"},
		{"ImportCustomers", "POST", "/api/v1/customers/import?dry_run=true", "nonsense\n", "text/csv"},
		{"ImportSuppliers", "POST", "/api/v1/suppliers/import?dry_run=true", "nonsense\n", "text/csv"},
		// Company profile and files: an empty profile body and an upload
		// without its file get 422 from allowed callers; no file 999999 a 404.
		{"GetCompanyProfile", "GET", "/api/v1/company", nil, ""},
		{"UpdateCompanyProfile", "PUT", "/api/v1/company", map[string]any{}, ""},
		{"UploadCompanyLogo", "POST", "/api/v1/company/logo", "--b--\r\n", "multipart/form-data; boundary=b"},
		// Removing a logo that is not there changes nothing (200).
		{"DeleteCompanyLogo", "DELETE", "/api/v1/company/logo", nil, ""},
		{"GetFile", "GET", "/api/v1/files/999999", nil, ""},
		{"ListOrders", "GET", "/api/v1/orders?status=DRAFT", nil, ""},
		{"CreateOrder", "POST", "/api/v1/orders", map[string]any{"customer_id": 999999, "location_id": 999999,
			"lines": []map[string]any{{"item_id": 999999, "quantity": 1}}}, ""},
		{"GetOrder", "GET", "/api/v1/orders/999999", nil, ""},
		{"UpdateOrder", "PUT", "/api/v1/orders/999999", map[string]any{"customer_id": 999999, "location_id": 999999,
			"lines": []map[string]any{{"item_id": 999999, "quantity": 1}}}, ""},
		{"ConfirmOrder", "POST", "/api/v1/orders/999999/confirm", nil, ""},
		{"CancelOrder", "POST", "/api/v1/orders/999999/cancel", nil, ""},
		{"DeliverOrder", "POST", "/api/v1/orders/999999/deliver", map[string]any{}, ""},
		{"ListInvoices", "GET", "/api/v1/invoices?status=open", nil, ""},
		{"IssueInvoice", "POST", "/api/v1/invoices", map[string]any{"order_ids": []int64{999999}}, ""},
		{"GetInvoice", "GET", "/api/v1/invoices/999999", nil, ""},
		{"GetInvoicePdf", "GET", "/api/v1/invoices/999999/pdf", nil, ""},
		{"CreateCreditNote", "POST", "/api/v1/invoices/999999/credit-notes", map[string]any{"full": true}, ""},
		{"CreatePayment", "POST", "/api/v1/invoices/999999/payments", map[string]any{"date": "2026-01-05", "amount": "1.00"}, ""},
		{"ListCreditNotes", "GET", "/api/v1/credit-notes", nil, ""},
		{"GetCreditNote", "GET", "/api/v1/credit-notes/999999", nil, ""},
		{"GetCreditNotePdf", "GET", "/api/v1/credit-notes/999999/pdf", nil, ""},
		{"ImportBankFile", "POST", "/api/v1/bank-imports", "--b--\r\n", "multipart/form-data; boundary=b"},
		{"GetBankImport", "GET", "/api/v1/bank-imports/999999", nil, ""},
		{"ListBankCredits", "GET", "/api/v1/bank-credits?status=unmatched", nil, ""},
		{"AssignBankCredit", "POST", "/api/v1/bank-credits/999999/assign", map[string]any{"invoice_id": 999999}, ""},
		{"GetDeliveryNote", "GET", "/api/v1/orders/999999/delivery-note", nil, ""},
		{"ListExpenseCategories", "GET", "/api/v1/expense-categories", nil, ""},
		{"CreateExpenseCategory", "POST", "/api/v1/expense-categories", map[string]any{}, ""},
		{"UpdateExpenseCategory", "PATCH", "/api/v1/expense-categories/999999", map[string]any{}, ""},
		{"ArchiveExpenseCategory", "POST", "/api/v1/expense-categories/999999/archive", nil, ""},
		{"RestoreExpenseCategory", "POST", "/api/v1/expense-categories/999999/restore", nil, ""},
		{"ListExpenses", "GET", "/api/v1/expenses?status=open", nil, ""},
		{"ExportExpenses", "GET", "/api/v1/expenses/export?status=open", nil, ""},
		{"CreateExpense", "POST", "/api/v1/expenses", map[string]any{}, ""},
		{"GetExpense", "GET", "/api/v1/expenses/999999", nil, ""},
		{"UpdateExpense", "PUT", "/api/v1/expenses/999999", map[string]any{}, ""},
		{"DeleteExpense", "DELETE", "/api/v1/expenses/999999", nil, ""},
		{"ArchiveExpense", "POST", "/api/v1/expenses/999999/archive", nil, ""},
		{"RestoreExpense", "POST", "/api/v1/expenses/999999/restore", nil, ""},
		{"AddExpenseReceipt", "POST", "/api/v1/expenses/999999/receipts", "--b--\r\n", "multipart/form-data; boundary=b"},
		{"DeleteExpenseReceipt", "DELETE", "/api/v1/expenses/999999/receipts/1", nil, ""},
	}
	// The catalogue's records share one shape of operations. Missing records
	// and empty bodies make allowed callers get 404/422 while forbidden ones
	// get 403, since permissions are checked first.
	for _, r := range []struct{ path, one, many string }{
		{"categories", "Category", "Categories"}, {"suppliers", "Supplier", "Suppliers"},
		{"customers", "Customer", "Customers"}, {"locations", "Location", "Locations"}, {"items", "Item", "Items"},
	} {
		base := "/api/v1/" + r.path
		ops = append(ops,
			operation{"List" + r.many, "GET", base, nil, ""},
			operation{"Create" + r.one, "POST", base, map[string]any{}, ""},
			operation{"Get" + r.one, "GET", base + "/999999", nil, ""},
			operation{"Update" + r.one, "PATCH", base + "/999999", map[string]any{}, ""},
			operation{"Delete" + r.one, "DELETE", base + "/999999", nil, ""},
			operation{"Archive" + r.one, "POST", base + "/999999/archive", nil, ""},
			operation{"Restore" + r.one, "POST", base + "/999999/restore", nil, ""},
		)
	}
	// Logout last: it ends the session the token belongs to.
	return append(ops, operation{"Logout", "POST", "/api/v1/auth/logout", nil, ""})
}

// allowed is the role matrix as DOMAIN.md states it, written out by hand
// rather than derived from the permission table it checks.
var allowed = map[string][]string{
	"public": {"GetLiveness", "GetReadiness", "GetHealth", "GetOpenAPI", "Login", "RefreshToken"},
	"self": {"ListSessions", "RevokeOtherSessions", "RevokeSession", "GetMe", "UpdateMe", "ChangeMyPassword",
		"ListTokens", "CreateToken", "RevokeToken", "Logout"},
	"admin": {"ListUsers", "CreateUser", "GetUser", "UpdateUser", "UpdateCompanyProfile", "UploadCompanyLogo", "DeleteCompanyLogo",
		"CreateExpenseCategory", "UpdateExpenseCategory", "ArchiveExpenseCategory", "RestoreExpenseCategory"},
	// Expenses and financial reports are for managers and admins only.
	"finance": {"ListExpenseCategories", "ListExpenses", "GetExpense", "ExportExpenses"},
	"expenses": {"CreateExpense", "UpdateExpense", "DeleteExpense", "ArchiveExpense", "RestoreExpense",
		"AddExpenseReceipt", "DeleteExpenseReceipt"},
	"manager": {"ListAudit"},
	"read": {"ListCategories", "GetCategory", "ListSuppliers", "GetSupplier", "ListCustomers", "GetCustomer",
		"ListLocations", "GetLocation", "ListItems", "GetItem", "ListItemSuppliers",
		"ListMovements", "GetMovement", "ListItemMovements", "GetItemStock", "ListStock", "ExportMovements",
		"GetDashboard", "ExportItems", "ExportCustomers", "ExportSuppliers", "GetCompanyProfile", "GetFile", "ListOrders", "GetOrder",
		"ListInvoices", "GetInvoice", "GetInvoicePdf", "ListCreditNotes", "GetCreditNote", "GetCreditNotePdf",
		"GetBankImport", "ListBankCredits", "GetDeliveryNote"},
	// Invoicing, crediting and payments: managers and admins (prices.write).
	"sales": {"IssueInvoice", "CreateCreditNote", "CreatePayment", "ImportBankFile", "AssignBankCredit"},
	"catalogue": {"CreateCategory", "UpdateCategory", "DeleteCategory", "ArchiveCategory", "RestoreCategory",
		"CreateSupplier", "UpdateSupplier", "DeleteSupplier", "ArchiveSupplier", "RestoreSupplier",
		"CreateLocation", "UpdateLocation", "DeleteLocation", "ArchiveLocation", "RestoreLocation",
		"CreateItem", "UpdateItem", "DeleteItem", "ArchiveItem", "RestoreItem", "PutItemSupplier", "DeleteItemSupplier",
		"ImportItems", "ImportSuppliers"},
	"customers": {"CreateCustomer", "UpdateCustomer", "DeleteCustomer", "ArchiveCustomer", "RestoreCustomer",
		"CreateMovement", "ReverseMovement", "CreateReceipt", "CreateCount", "ImportCustomers",
		"CreateOrder", "UpdateOrder", "ConfirmOrder", "CancelOrder", "DeliverOrder"},
}

func mayCall(who string, op operation) bool {
	switch id := op.id; {
	case slices.Contains(allowed["public"], id):
		return true
	case who == "anonymous":
		return false
	case slices.Contains(allowed["self"], id):
		// A read-only token reads its owner's account but changes nothing.
		return who != "read-token" || op.method == "GET"
	case slices.Contains(allowed["read"], id):
		return true
	case slices.Contains(allowed["catalogue"], id), slices.Contains(allowed["sales"], id), slices.Contains(allowed["expenses"], id):
		return who == "admin" || who == "manager"
	case slices.Contains(allowed["finance"], id):
		return who == "admin" || who == "manager" || who == "read-token"
	case slices.Contains(allowed["customers"], id):
		return who == "admin" || who == "manager" || who == "clerk"
	case slices.Contains(allowed["manager"], id):
		return who == "admin" || who == "manager" || who == "read-token"
	case slices.Contains(allowed["admin"], id):
		// The read token belongs to an admin: it may read people, not change them.
		return who == "admin" || (who == "read-token" && op.method == "GET")
	}
	return false
}

// Every operation × every role (and anonymous, and a read-only API token).
func TestEveryRouteForEveryRole(t *testing.T) {
	en := newEnv(t)
	ops := operations(t, en)

	// The walk must cover the whole document.
	spec, _ := oapi.GetSpec()
	var documented []string
	for _, item := range spec.Paths.Map() {
		for _, op := range item.Operations() {
			documented = append(documented, op.OperationID)
		}
	}
	for _, id := range documented {
		if !slices.ContainsFunc(ops, func(o operation) bool { return o.id == id }) {
			t.Errorf("operation %s is not walked by this test", id)
		}
		if !slices.ContainsFunc([]string{"public", "self", "admin", "manager", "read", "catalogue", "customers", "sales", "finance", "expenses"}, func(g string) bool { return slices.Contains(allowed[g], id) }) {
			t.Errorf("operation %s is missing from the expected role matrix", id)
		}
	}

	created := en.do(req{method: "POST", path: "/api/v1/tokens", token: en.tokens[auth.RoleAdmin],
		body: map[string]any{"name": "reader", "scope": "read", "expires_in_days": 7}})
	var tok struct{ Token string }
	created.decode(t, &tok)

	callers := map[string]func() string{
		"anonymous":  func() string { return "" },
		"read-token": func() string { return tok.Token },
	}
	for _, role := range auth.Roles {
		email := string(role) + "@depot.example"
		// A fresh session per caller, since the walk ends with Logout.
		callers[string(role)] = func() string { return en.login(email, testPassword).AccessToken }
	}
	for who, token := range callers {
		bearer := token()
		for _, op := range ops {
			var header map[string]string
			if op.contentType != "" {
				header = map[string]string{"Content-Type": op.contentType}
			}
			r := en.do(req{method: op.method, path: op.path, body: op.body, token: bearer, header: header})
			denied := r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden
			if op.id == "Login" || op.id == "RefreshToken" || op.id == "ChangeMyPassword" {
				// These answer 401/422 for the wrong credentials in the request itself.
				denied = r.errorCode() == "forbidden" || (r.Status == 401 && r.errorCode() == "unauthorized" && op.id == "ChangeMyPassword")
			}
			if want := mayCall(who, op); denied == want {
				t.Errorf("%s %s (%s): status %d %s, want allowed=%v", who, op.id, op.path, r.Status, r.Body, want)
			}
			if !mayCall(who, op) && who == "anonymous" && r.Status != http.StatusUnauthorized {
				t.Errorf("anonymous %s: status %d, want 401", op.id, r.Status)
			}
		}
	}
}
