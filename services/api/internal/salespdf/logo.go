package salespdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/webp"
)

// ErrLogo is the refusal of a logo that cannot be printed: a type other
// than PNG, JPEG or WebP, or bytes that do not decode as their type.
var ErrLogo = errors.New("salespdf: the logo cannot be printed")

// logo draws the company's logo scaled into its box at the top left,
// keeping its proportions. Every logo is decoded in full first, so one
// that does not decode is refused rather than printed broken. A JPEG then
// goes into the PDF as it is; PNG and WebP (which PDF cannot hold) are
// written again as a plain 8-bit PNG: fpdf's own PNG reader handles only
// some variants and panicked on a valid 1 × 1 RGBA file in a trial, and
// Go's encoder is deterministic, so the document's bytes stay the same.
func (d *doc) logo() (err error) {
	data, typ, cfg, err := printableLogo(d.lh.Logo, d.lh.LogoType)
	if err != nil {
		return err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("%w: it has no pixels", ErrLogo)
	}
	w, h := logoMaxW, logoMaxW*float64(cfg.Height)/float64(cfg.Width)
	if h > logoMaxH {
		w, h = logoMaxH*float64(cfg.Width)/float64(cfg.Height), logoMaxH
	}
	// A picture fpdf still cannot read must not take the api down.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: the PDF library failed on it: %v", ErrLogo, r)
		}
	}()
	opt := fpdf.ImageOptions{ImageType: typ}
	info := d.pdf.RegisterImageOptionsReader("logo", opt, bytes.NewReader(data))
	if d.pdf.Err() || info == nil {
		err := d.pdf.Error()
		d.pdf.ClearError()
		return fmt.Errorf("%w: %v", ErrLogo, err)
	}
	d.pdf.ImageOptions("logo", left, top, w, h, false, opt, 0, "")
	return nil
}

// printableLogo returns the logo's bytes as fpdf takes them, their type
// for fpdf and the image's dimensions.
func printableLogo(data []byte, mediaType string) ([]byte, string, image.Config, error) {
	refuse := func(err error) ([]byte, string, image.Config, error) {
		return nil, "", image.Config{}, fmt.Errorf("%w: %v", ErrLogo, err)
	}
	switch mediaType {
	case "image/jpeg":
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return refuse(err)
		}
		b := img.Bounds()
		return data, "JPG", image.Config{Width: b.Dx(), Height: b.Dy()}, nil
	case "image/png":
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return refuse(err)
		}
		return reencode(img)
	case "image/webp":
		img, err := webp.Decode(bytes.NewReader(data))
		if err != nil {
			return refuse(err)
		}
		return reencode(img)
	}
	return refuse(fmt.Errorf("type %q is not PNG, JPEG or WebP", mediaType))
}

// reencode writes img as an 8-bit PNG.
func reencode(img image.Image) ([]byte, string, image.Config, error) {
	var buf bytes.Buffer
	// NRGBA: 8 bits per channel, whatever the source had.
	b := img.Bounds()
	n := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(n, n.Bounds(), img, b.Min, draw.Src)
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, n); err != nil {
		return nil, "", image.Config{}, fmt.Errorf("salespdf: encode the logo as PNG: %w", err)
	}
	return buf.Bytes(), "PNG", image.Config{Width: b.Dx(), Height: b.Dy()}, nil
}
