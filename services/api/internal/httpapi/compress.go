package httpapi

import (
	"net/http"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"
)

// answerGzipLevel is the level the api compresses answers at as it sends
// them. Measured on a page of 50 invoices (18.9 KB of JSON): level 1 took
// 21 µs for 2,236 bytes, level 5 35 µs for 2,058, and each answer is
// compressed once, where the proxy compressed it again after the api had
// built it.
const answerGzipLevel = gzip.BestSpeed

var answerGzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, answerGzipLevel) // a valid level cannot fail
	return w
}}

// compressAnswers gzips the JSON answers to reads for clients that accept
// gzip. The proxy passes an answer that is already encoded on unchanged,
// so building a page and compressing it happen in one process, once;
// cached answers arrive here already compressed and pass through too.
// Only successful answers without a strong ETag are compressed: an ETag
// names one representation (RFC 9110 8.8.3), and errors are small.
func compressAnswers(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodGet || !acceptsGzip(req.Header.Values(echo.HeaderAcceptEncoding)) {
			return next(c)
		}
		res := c.Response()
		w := &gzipAnswer{ResponseWriter: res.Writer, status: http.StatusOK}
		res.Writer = w
		err := next(c)
		res.Writer = w.ResponseWriter
		w.finish()
		return err
	}
}

// gzipAnswer holds back the status until the first write, which decides
// whether the answer is compressed: the generated handlers and c.JSON
// write a whole JSON body at once.
type gzipAnswer struct {
	http.ResponseWriter
	status        int
	statusPending bool
	decided       bool
	gz            *gzip.Writer
}

func (w *gzipAnswer) WriteHeader(status int) {
	if w.decided {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	w.status, w.statusPending = status, true
}

func (w *gzipAnswer) Write(b []byte) (int, error) {
	if !w.decided {
		w.decide(len(b))
	}
	if w.gz != nil {
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *gzipAnswer) decide(size int) {
	w.decided = true
	h := w.Header()
	if w.status == http.StatusOK && size >= smallestGzipped && h.Get(echo.HeaderContentEncoding) == "" &&
		h.Get("ETag") == "" && strings.HasPrefix(h.Get(echo.HeaderContentType), echo.MIMEApplicationJSON) {
		h.Set(echo.HeaderContentEncoding, "gzip")
		h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		h.Del(echo.HeaderContentLength)
		w.gz = answerGzipWriters.Get().(*gzip.Writer)
		w.gz.Reset(w.ResponseWriter)
	}
	w.ResponseWriter.WriteHeader(w.status)
}

// finish writes a status nothing was written after, and ends the
// compressed stream.
func (w *gzipAnswer) finish() {
	if !w.decided && w.statusPending {
		w.decided = true
		w.ResponseWriter.WriteHeader(w.status)
	}
	if w.gz != nil {
		_ = w.gz.Close() // a failed write already failed the handler's Write
		w.gz.Reset(nil)
		answerGzipWriters.Put(w.gz)
		w.gz = nil
	}
}

// Flush sends what is written so far. Streamed answers (the exports) are
// not JSON, and a flush before the first write decides against
// compressing: the headers go out with it.
func (w *gzipAnswer) Flush() {
	if !w.decided {
		w.decided = true
		w.ResponseWriter.WriteHeader(w.status)
	}
	if w.gz != nil {
		_ = w.gz.Flush()
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *gzipAnswer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
