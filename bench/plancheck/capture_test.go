package plancheck

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgproto3"
)

type encoder interface {
	Encode([]byte) ([]byte, error)
}

func encode(t *testing.T, msgs ...encoder) []byte {
	t.Helper()
	var b []byte
	for _, m := range msgs {
		var err error
		if b, err = m.Encode(b); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// The relay passes the client's bytes through unchanged and records each
// executed statement with its arguments, by prepared statement name.
func TestCaptureRecordsStatements(t *testing.T) {
	server, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	received := make(chan []byte, 1)
	go func() {
		conn, err := server.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		// A server without TLS refuses the SSL request with one byte.
		var req [8]byte
		io.ReadFull(conn, req[:])
		conn.Write([]byte{'N'})
		b, _ := io.ReadAll(conn)
		received <- append(req[:], b...)
	}()
	c, err := Listen(func() (net.Conn, error) { return net.Dial("tcp4", server.Addr().String()) })
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	client, err := net.Dial("tcp4", c.Addr())
	if err != nil {
		t.Fatal(err)
	}
	sent := encode(t, &pgproto3.SSLRequest{})
	client.Write(sent)
	var answer [1]byte
	if _, err := io.ReadFull(client, answer[:]); err != nil || answer[0] != 'N' {
		t.Fatalf("SSL answer %q, %v", answer, err)
	}
	c.SetLabel("GET /items")
	rest := encode(t,
		&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "depotix", "database": "depotix"}},
		&pgproto3.Parse{Name: "stmt1", Query: "SELECT name FROM items WHERE id = $1 AND sku = $2", ParameterOIDs: []uint32{20, 25}},
		&pgproto3.Describe{ObjectType: 'S', Name: "stmt1"},
		&pgproto3.Sync{},
		&pgproto3.Bind{PreparedStatement: "stmt1", ParameterFormatCodes: []int16{1, 0}, Parameters: [][]byte{{0, 0, 0, 0, 0, 0, 0, 42}, []byte("BIE-000042")}},
		&pgproto3.Execute{},
		&pgproto3.Bind{PreparedStatement: "stmt1", Parameters: [][]byte{[]byte("7"), nil}},
		&pgproto3.Execute{},
		&pgproto3.Sync{},
		&pgproto3.Query{String: "SELECT 1"},
		&pgproto3.Close{ObjectType: 'S', Name: "stmt1"},
		&pgproto3.Bind{PreparedStatement: "stmt1"}, // closed: unknown from now on
		&pgproto3.Terminate{},
	)
	client.Write(rest)
	sent = append(sent, rest...)

	select {
	case got := <-received:
		if !bytes.Equal(got, sent) {
			t.Errorf("the server received other bytes than the client sent:\n got %x\nwant %x", got, sent)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the relay did not pass the stream on")
	}
	client.Close()

	sql := "SELECT name FROM items WHERE id = $1 AND sku = $2"
	want := []Statement{
		{Label: "GET /items", SQL: sql, ParamOIDs: []uint32{20, 25}, Formats: []int16{1, 0}, Params: [][]byte{{0, 0, 0, 0, 0, 0, 0, 42}, []byte("BIE-000042")}},
		{Label: "GET /items", SQL: sql, ParamOIDs: []uint32{20, 25}, Params: [][]byte{[]byte("7"), nil}},
		{Label: "GET /items", SQL: "SELECT 1"},
	}
	if diff := cmp.Diff(want, c.Statements()); diff != "" {
		t.Errorf("statements (-want +got)\n%s", diff)
	}
}

func TestReadOnlySelect(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT count(*) FROM items":                                     true,
		"\n\t  select id from movements m where m.id < $1":               true,
		"WITH x AS (SELECT 1) SELECT * FROM x":                           true,
		"SELECT good FROM stock WHERE item_id = $1 FOR UPDATE":           false,
		"SELECT id FROM items WHERE id = $1 FOR SHARE":                   false,
		"SELECT 1 FROM items FOR NO KEY UPDATE":                          false,
		"WITH d AS (DELETE FROM sessions RETURNING id) SELECT * FROM d":  false,
		"UPDATE sessions SET last_used_at = now()":                       false,
		"INSERT INTO audit_log (entity) VALUES ($1)":                     false,
		"SELECT nextval('customers_number_seq')":                         false,
		"SELECT pg_advisory_xact_lock(1)":                                true,
		"BEGIN":                                                          false,
		"SELECT updated_at, created_at FROM items WHERE updated_at > $1": true,
	} {
		if got := readOnlySelect(sql); got != want {
			t.Errorf("readOnlySelect(%q) = %v, want %v", sql, got, want)
		}
	}
}

func TestSeqScans(t *testing.T) {
	plan := map[string]any{
		"Node Type": "Limit",
		"Plans": []any{
			map[string]any{"Node Type": "Nested Loop", "Plans": []any{
				map[string]any{"Node Type": "Seq Scan", "Relation Name": "locations"},
				map[string]any{"Node Type": "Seq Scan", "Relation Name": "stock"},
				map[string]any{"Node Type": "Index Scan", "Relation Name": "items", "Index Name": "items_pkey"},
				map[string]any{"Node Type": "Seq Scan", "Relation Name": "stock"},
				map[string]any{"Node Type": "Index Only Scan", "Relation Name": "items", "Index Name": "items_sku_key"},
				map[string]any{"Node Type": "Index Scan", "Relation Name": "items", "Index Name": "items_pkey"},
			}},
		},
	}
	if diff := cmp.Diff([]string{"stock"}, seqScans(plan, nil)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"items_pkey", "items_sku_key"}, indexes(plan, nil)); diff != "" {
		t.Errorf("indexes (-want +got)\n%s", diff)
	}
	if got := seqScans(map[string]any{"Node Type": "Index Only Scan", "Relation Name": "movements"}, nil); got != nil {
		t.Errorf("index scan reported as %v", got)
	}
}
