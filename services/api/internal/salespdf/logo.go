package salespdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/webp"
)

// ErrLogo is the refusal of a logo that cannot be printed: a type other
// than PNG, JPEG or WebP, or bytes that do not decode as their type.
var ErrLogo = errors.New("salespdf: the logo cannot be printed")

// logo draws the company's logo scaled into its box at the top left,
// keeping its proportions. PNG and JPEG go into the PDF as they are
// (fpdf embeds them); WebP, which PDF cannot hold, and the PNG variants
// fpdf cannot read (16 bits per channel, interlaced) are decoded and
// written again as a plain PNG — Go's encoder is deterministic, so the
// document's bytes stay the same.
func (d *doc) logo() error {
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
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return refuse(err)
		}
		return data, "JPG", cfg, nil
	case "image/png":
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return refuse(err)
		}
		if !plainPNG(data) {
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				return refuse(err)
			}
			return reencode(img)
		}
		return data, "PNG", cfg, nil
	case "image/webp":
		img, err := webp.Decode(bytes.NewReader(data))
		if err != nil {
			return refuse(err)
		}
		return reencode(img)
	}
	return refuse(fmt.Errorf("type %q is not PNG, JPEG or WebP", mediaType))
}

// plainPNG reports whether fpdf reads the PNG as it is: 8 bits per
// channel or fewer, not interlaced (the IHDR chunk follows the 8-byte
// signature: length, type, width, height, then depth and, 4 bytes on,
// the interlace method).
func plainPNG(data []byte) bool {
	if len(data) < 29 || string(data[12:16]) != "IHDR" || binary.BigEndian.Uint32(data[8:12]) != 13 {
		return false
	}
	return data[24] <= 8 && data[28] == 0
}

// reencode writes img as an 8-bit PNG.
func reencode(img image.Image) ([]byte, string, image.Config, error) {
	var buf bytes.Buffer
	// NRGBA: 8 bits per channel, whatever the source had.
	b := img.Bounds()
	n := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			n.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, n); err != nil {
		return nil, "", image.Config{}, fmt.Errorf("salespdf: encode the logo as PNG: %w", err)
	}
	return buf.Bytes(), "PNG", image.Config{Width: b.Dx(), Height: b.Dy()}, nil
}
