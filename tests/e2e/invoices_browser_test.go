package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// invoiceIBAN is a normal IBAN (not a QR-IBAN): invoices carry a SCOR
// reference.
const invoiceIBAN = "CH5800791123000889012"

// completeProfile gives the company what the QR bill needs.
func completeProfile(api apiCaller) {
	api.call("PUT", "/api/v1/company", `{"name":"Getränke Müller GmbH","street":"Industriestrasse","building_number":"7a",`+
		`"postal_code":"8400","town":"Winterthur","country":"CH","vat_number":"","iban":"CH58 0079 1123 0008 8901 2",`+
		`"bank_name":"","payment_terms_days":30,"invoice_footer":"","invoice_prefix":"RE","credit_note_prefix":"GS",`+
		`"currency":"CHF","deposits_taxable":false}`)
}

// apiInvoice is what the tests read of an invoice.
type apiInvoice struct {
	ID          int64  `json:"id"`
	Number      string `json:"number"`
	Status      string `json:"status"`
	Payable     string `json:"payable"`
	Paid        string `json:"paid"`
	Outstanding string `json:"outstanding"`
	QrBill      struct {
		Reference string `json:"reference"`
		Payload   string `json:"payload"`
	} `json:"qr_bill"`
}

// fetchBytes is a script that downloads a path with the page's session and
// answers its bytes in base64 (the PDF as the browser gets it).
func fetchBytes(path string) string {
	return `fetch(` + fmt.Sprintf("%q", path) + `).then(r => r.ok ? r.arrayBuffer() : Promise.reject('status ' + r.status)).then(b => {
  const a = new Uint8Array(b); let s = '';
  for (let i = 0; i < a.length; i += 8192) s += String.fromCharCode.apply(null, a.subarray(i, i + 8192));
  return btoa(s);
})`
}

// TestInvoiceToPaymentInBrowser: an order is confirmed and delivered with
// empties in the browser, invoiced from its page, the invoice's PDF
// downloaded through the web and its QR code decoded (amount and
// reference as issued); a camt.054 crediting that reference and amount,
// uploaded on the bank import page, pays it (the invoice says paid, the
// order is PAID); the same file again books nothing.
func TestInvoiceToPaymentInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test starts the whole stack")
	}
	pdftoppm := requireTool(t, "pdftoppm", "poppler-utils")
	zbarimg := requireTool(t, "zbarimg", "zbar-tools")
	s := StartStack(t)
	api := seedOrders(t, s)
	completeProfile(api)
	api.call("POST", "/api/v1/orders", `{"customer_id":1,"location_id":1,"lines":[{"item_id":2,"unit":"package","quantity":3}]}`)

	b := NewBrowser(t, s)
	b.Run(t, "sign in", signInAsAdmin(s)...)
	var invoiceURL, title, payable, reference string
	b.Run(t, "confirm, deliver with empties, invoice",
		chromedp.Navigate(s.URL("/orders/1")),
		chromedp.Click(`[data-testid="order-confirm"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="order-deliver"]`, chromedp.ByQuery),
		chromedp.Click(`[data-testid="order-deliver"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#deliver-submit`, chromedp.ByQuery),
		chromedp.WaitReady(`html[data-movements-ready]`, chromedp.ByQuery),
		chromedp.Focus(`#deliver-add_code`, chromedp.ByQuery),
		chromedp.KeyEvent(orderCrateEAN+"\n"),
		chromedp.WaitVisible(`[data-testid="deliver-empties-item-0"] .receipt-row__name`, chromedp.ByQuery),
		chromedp.SetValue(`[name="empties[0].quantity"]`, "2", chromedp.ByQuery),
		chromedp.Click(`#deliver-submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="order-invoice"]`, chromedp.ByQuery),
		chromedp.Click(`[data-testid="order-invoice"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="invoice-title"]`, chromedp.ByQuery),
		chromedp.Location(&invoiceURL),
		chromedp.Text(`[data-testid="invoice-title"]`, &title, chromedp.ByQuery),
		chromedp.Text(`[data-testid="invoice-payable"]`, &payable, chromedp.ByQuery),
		chromedp.Text(`[data-testid="invoice-reference"]`, &reference, chromedp.ByQuery),
	)
	b.Screenshot(t, "invoice-issued")
	id := invoiceURL[strings.LastIndex(invoiceURL, "/")+1:]
	var inv apiInvoice
	if err := json.Unmarshal([]byte(api.get("/api/v1/invoices/"+id)), &inv); err != nil {
		t.Fatal(err)
	}
	// 3 crates at 28.00 + 8.1 % VAT + 3 × 9.00 deposit − 2 × 9.00 empties.
	if inv.Number != "RE000001" || title != "Invoice RE000001" || payable != "CHF "+inv.Payable ||
		reference != inv.QrBill.Reference || !strings.HasPrefix(reference, "RF") || inv.Status != "open" {
		t.Fatalf("issued: title %q payable %q reference %q; api %+v", title, payable, reference, inv)
	}

	var pdf64 string
	b.Run(t, "download the PDF through the web",
		chromedp.Evaluate(fetchBytes("/invoices/"+id+".pdf"), &pdf64, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
			return p.WithAwaitPromise(true)
		}),
	)
	pdf, err := base64.StdEncoding.DecodeString(pdf64)
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("downloaded %d bytes (%v), not a PDF", len(pdf), err)
	}
	sample := filepath.Join(os.TempDir(), "depotix-samples", "e2e-invoice.pdf")
	if err := os.MkdirAll(filepath.Dir(sample), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sample, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	page := lastPage(t, pdftoppm, sample)
	payload := decodeQR(t, page)
	fields := strings.Split(payload, "\n")
	// SPC payload v2: amount (18), currency (19), reference type (27) and
	// reference (28).
	if len(fields) < 31 || fields[0] != "SPC" || fields[3] != invoiceIBAN || fields[18] != inv.Payable ||
		fields[19] != "CHF" || fields[27] != "SCOR" || fields[28] != inv.QrBill.Reference {
		t.Fatalf("QR payload %q; invoice %+v", fields, inv)
	}
	if payload != inv.QrBill.Payload {
		t.Errorf("decoded payload differs from the issued one:\n%q\n%q", payload, inv.QrBill.Payload)
	}
	// Debian's decoder as well, where it reads the code (it may fail on
	// codes whose cross covers the central alignment pattern): when it
	// reads something, it must be the same.
	if out, err := exec.Command(zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", "-Sqrcode.binary", page).Output(); err == nil {
		if got := strings.TrimSuffix(string(out), "\n"); got != payload {
			t.Errorf("zbarimg read %q, gozxing %q", got, payload)
		}
	} else {
		t.Logf("zbarimg cannot read the real page's code (%v); gozxing did", err)
	}

	camt := filepath.Join(t.TempDir(), "camt054.xml")
	if err := os.WriteFile(camt, camtCredit(invoiceIBAN, fields[28], fields[18]), 0o644); err != nil {
		t.Fatal(err)
	}
	var result string
	b.Run(t, "import the bank's camt.054",
		chromedp.Navigate(s.URL("/bank-imports")),
		chromedp.WaitVisible(`#bank-file`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`#bank-file`, []string{camt}, chromedp.ByQuery),
		chromedp.Click(`[data-testid="bank-submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="bank-report-title"]`, chromedp.ByQuery),
		chromedp.Text(`[data-testid="bank-report-entries"]`, &result, chromedp.ByQuery),
	)
	b.Screenshot(t, "bank-report")
	if !strings.Contains(result, "Booked on RE000001") {
		t.Errorf("match report: %q", result)
	}
	var state string
	b.Run(t, "the invoice is paid",
		chromedp.Navigate(s.URL("/invoices/"+id)),
		chromedp.Text(`[data-testid="invoice-facts"] [data-testid="invoice-status"]`, &state, chromedp.ByQuery),
	)
	if state != "Paid" {
		t.Errorf("invoice status %q", state)
	}
	var o apiOrder
	if err := json.Unmarshal([]byte(api.get("/api/v1/orders/1")), &o); err != nil {
		t.Fatal(err)
	}
	if o.Status != "PAID" {
		t.Errorf("order %s", o.Status)
	}

	var credits, duplicates string
	var repeated bool
	b.Run(t, "the same file again",
		chromedp.Navigate(s.URL("/bank-imports")),
		chromedp.WaitVisible(`#bank-file`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`#bank-file`, []string{camt}, chromedp.ByQuery),
		chromedp.Click(`[data-testid="bank-submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="bank-report-title"]`, chromedp.ByQuery),
		chromedp.Text(`[data-testid="bank-report-credits"]`, &credits, chromedp.ByQuery),
		chromedp.Text(`[data-testid="bank-report-duplicates"]`, &duplicates, chromedp.ByQuery),
		chromedp.Evaluate(`!!document.querySelector('[data-testid="bank-report-repeated"]')`, &repeated),
	)
	if credits != "0" || duplicates != "1" || !repeated {
		t.Errorf("second import: %s new, %s already imported, repeated %v", credits, duplicates, repeated)
	}
	if err := json.Unmarshal([]byte(api.get("/api/v1/invoices/"+id)), &inv); err != nil {
		t.Fatal(err)
	}
	if inv.Status != "paid" || inv.Paid != inv.Payable {
		t.Errorf("after the second import: %+v", inv)
	}
}

// requireTool finds a Debian tool or fails naming its package.
func requireTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is missing: apt-get install %s", name, pkg)
	}
	return path
}

// lastPage rasterises a PDF at 300 dpi in grey and returns its last page
// (where the QR bill is).
func lastPage(t *testing.T, pdftoppm, pdf string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command(pdftoppm, "-r", "300", "-gray", "-png", pdf, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, err := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("pdftoppm made no pages (%v)", err)
	}
	sort.Strings(pages)
	return pages[len(pages)-1]
}

// decodeQR reads the QR code in the lower half of a page with gozxing.
func decodeQR(t *testing.T, pngPath string) string {
	t.Helper()
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	lower := img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(image.Rect(0, img.Bounds().Dy()/2, img.Bounds().Dx(), img.Bounds().Dy()))
	bmp, err := gozxing.NewBinaryBitmapFromImage(lower)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_TRY_HARDER: true, gozxing.DecodeHintType_CHARACTER_SET: "UTF-8"})
	if err != nil {
		t.Fatalf("no QR code on %s: %v", pngPath, err)
	}
	return res.GetText()
}

// camtCredit is a camt.054.001.04 notification of one booked credit of
// amount CHF with the creditor reference ref to account.
func camtCredit(account, ref, amount string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>DPX-E2E</MsgId><CreDtTm>2026-12-07T08:00:00+01:00</CreDtTm></GrpHdr>
<Ntfctn><Id>N1</Id><CreDtTm>2026-12-07T08:00:00+01:00</CreDtTm><Acct><Id><IBAN>` + account + `</IBAN></Id></Acct>
<Ntry><Amt Ccy="CHF">` + amount + `</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-12-06</Dt></BookgDt><ValDt><Dt>2026-12-06</Dt></ValDt><AcctSvcrRef>E-E2E-1</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><AcctSvcrRef>E2E-1</AcctSvcrRef></Refs><Amt Ccy="CHF">` + amount + `</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<RltdPties><Dbtr><Nm>Restaurant Sonne</Nm></Dbtr></RltdPties>
<RmtInf><Strd><CdtrRefInf><Ref>` + ref + `</Ref></CdtrRefInf></Strd></RmtInf>
</TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`)
}
