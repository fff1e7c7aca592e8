package plancheck

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Statement is one query a client ran, with its arguments exactly as it
// sent them, so that it can be run again (under EXPLAIN) as it was.
type Statement struct {
	Label     string   // what the driver was doing when it ran
	SQL       string   // as sent
	ParamOIDs []uint32 // as the client declared them (0 or none: inferred)
	Formats   []int16  // parameter format codes as sent in Bind
	Params    [][]byte // nil for NULL
}

// Capture is a PostgreSQL wire-protocol relay that records the statements
// clients run through it. Its byte stream is passed on unchanged; it only
// reads a copy of what clients send. It stands in for the pgx tracer the
// api cannot be given from outside: the api's store is internal to it, so
// the only faithful record of its SQL and arguments is the wire.
type Capture struct {
	ln      net.Listener
	dial    func() (net.Conn, error)
	mu      sync.Mutex
	label   string
	stmts   []Statement
	wg      sync.WaitGroup
	closing chan struct{}
	conns   map[net.Conn]bool
}

// Listen starts a relay on a free loopback port to the server that dial
// connects to.
func Listen(dial func() (net.Conn, error)) (*Capture, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c := &Capture{ln: ln, dial: dial, closing: make(chan struct{}), conns: map[net.Conn]bool{}}
	c.wg.Add(1)
	go c.accept()
	return c, nil
}

// Addr is the relay's host:port.
func (c *Capture) Addr() string { return c.ln.Addr().String() }

// SetLabel names what the statements captured from now on belong to.
func (c *Capture) SetLabel(label string) {
	c.mu.Lock()
	c.label = label
	c.mu.Unlock()
}

// Statements returns what was captured so far.
func (c *Capture) Statements() []Statement {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.stmts)
}

// Close stops accepting, cuts every relayed connection and waits for the
// relay's goroutines.
func (c *Capture) Close() error {
	close(c.closing)
	err := c.ln.Close()
	c.mu.Lock()
	for conn := range c.conns {
		conn.Close()
	}
	c.mu.Unlock()
	c.wg.Wait()
	return err
}

func (c *Capture) track(conns ...net.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.closing:
		return false
	default:
	}
	for _, conn := range conns {
		c.conns[conn] = true
	}
	return true
}

func (c *Capture) accept() {
	defer c.wg.Done()
	for {
		client, err := c.ln.Accept()
		if err != nil {
			return // closed
		}
		server, err := c.dial()
		if err != nil {
			client.Close()
			continue
		}
		if !c.track(client, server) {
			client.Close()
			server.Close()
			return
		}
		c.wg.Add(2)
		go func() {
			defer c.wg.Done()
			io.Copy(client, server)
			client.Close()
		}()
		go func() {
			defer c.wg.Done()
			c.relayFrontend(client, server)
			server.Close()
		}()
	}
}

// relayFrontend passes what the client sends to the server, message by
// message, recording the statements it executes.
func (c *Capture) relayFrontend(client io.Reader, server io.Writer) {
	r := bufio.NewReader(client)
	// Untyped messages first: SSL or GSS encryption requests (refused by
	// a server on a unix socket or without TLS, after which the client
	// sends the real startup), a cancel request, or the startup message.
	for {
		msg, err := readUntyped(r)
		if err != nil {
			return
		}
		if _, err := server.Write(msg); err != nil {
			return
		}
		code := binary.BigEndian.Uint32(msg[4:8])
		if code == sslRequestCode || code == gssEncRequestCode {
			continue
		}
		if code == cancelRequestCode {
			return
		}
		break
	}
	parsed := map[string]pgproto3.Parse{} // prepared statements by name
	for {
		typ, msg, err := readTyped(r)
		if err != nil {
			return
		}
		if _, err := server.Write(msg); err != nil {
			return
		}
		body := msg[5:]
		switch typ {
		case 'P':
			var p pgproto3.Parse
			if p.Decode(body) == nil {
				parsed[p.Name] = p
			}
		case 'B':
			var b pgproto3.Bind
			if b.Decode(body) != nil {
				continue
			}
			if p, ok := parsed[b.PreparedStatement]; ok {
				c.record(Statement{SQL: p.Query, ParamOIDs: p.ParameterOIDs, Formats: b.ParameterFormatCodes, Params: b.Parameters})
			}
		case 'Q':
			var q pgproto3.Query
			if q.Decode(body) == nil {
				c.record(Statement{SQL: q.String})
			}
		case 'C':
			var cl pgproto3.Close
			if cl.Decode(body) == nil && cl.ObjectType == 'S' {
				delete(parsed, cl.Name)
			}
		case 'X':
			return
		}
	}
}

func (c *Capture) record(s Statement) {
	c.mu.Lock()
	s.Label = c.label
	c.stmts = append(c.stmts, s)
	c.mu.Unlock()
}

const (
	sslRequestCode    = 80877103
	gssEncRequestCode = 80877104
	cancelRequestCode = 80877102
	maxMessage        = 64 << 20
)

// readUntyped reads a length-prefixed message without a type byte.
func readUntyped(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint32(hdr[:]))
	if n < 8 || n > maxMessage {
		return nil, fmt.Errorf("startup message of %d bytes", n)
	}
	msg := make([]byte, n)
	copy(msg, hdr[:])
	_, err := io.ReadFull(r, msg[4:])
	return msg, err
}

// readTyped reads one message: type byte, length, body. The returned
// slice holds all three, freshly allocated.
func readTyped(r io.Reader) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := int(binary.BigEndian.Uint32(hdr[1:]))
	if n < 4 || n > maxMessage {
		return 0, nil, errors.New("malformed message length")
	}
	msg := make([]byte, 1+n)
	copy(msg, hdr[:])
	_, err := io.ReadFull(r, msg[5:])
	return hdr[0], msg, err
}
