package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// navFocus is where the keyboard's focus is after a Tab, measured in the
// page: the focused element, whether it is a navigation entry, its box,
// the box the navigation clips its entries to, and whether the focus ring
// shows.
type navFocus struct {
	TestID       string  `json:"testid"`
	InNav        bool    `json:"inNav"`
	Last         bool    `json:"last"`
	Left         float64 `json:"left"`
	Right        float64 `json:"right"`
	Top          float64 `json:"top"`
	Bottom       float64 `json:"bottom"`
	ClipLeft     float64 `json:"clipLeft"`
	ClipRight    float64 `json:"clipRight"`
	ClipTop      float64 `json:"clipTop"`
	ClipBottom   float64 `json:"clipBottom"`
	Ring         float64 `json:"ring"`
	FocusVisible bool    `json:"focusVisible"`
}

// measureFocus reads navFocus. The clip box is the navigation's own box
// when it scrolls (its overflow hides what is outside), else the viewport;
// Ring is how far the outline reaches beyond the element.
// It waits two frames, so the scroll that brings a focused entry into
// view has happened.
const measureFocus = `new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done((() => {
  const el = document.activeElement;
  const nav = document.querySelector('[data-testid="nav"]');
  const links = [...nav.querySelectorAll('a')];
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  let clip = {left: 0, right: innerWidth, top: 0, bottom: innerHeight};
  if (getComputedStyle(nav).overflowX !== 'visible') {
    const n = nav.getBoundingClientRect();
    clip = {left: Math.max(0, n.left), right: Math.min(innerWidth, n.right), top: Math.max(0, n.top), bottom: Math.min(innerHeight, n.bottom)};
  }
  return {testid: el.dataset.testid || el.tagName, inNav: nav.contains(el), last: el === links[links.length - 1],
    left: r.left, right: r.right, top: r.top, bottom: r.bottom,
    clipLeft: clip.left, clipRight: clip.right, clipTop: clip.top, clipBottom: clip.bottom,
    ring: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth) + Math.max(0, parseFloat(s.outlineOffset)),
    focusVisible: el.matches(':focus-visible')};
})()))))`

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// TestAdminNavigationFits: an admin has the most navigation entries. On a
// desktop's screen (1280 px) every one of them is visible without
// scrolling; on a phone's (360 px) each scrolls into view when the keyboard
// reaches it. Either way the focus ring shows whole.
func TestAdminNavigationFits(t *testing.T) {
	s := StartStack(t)
	b := NewBrowser(t, s)
	b.signIn(t, s.AdminEmail, s.AdminPassword)
	for _, width := range []int64{1280, 360} {
		b.Run(t, "resize", chromedp.EmulateViewport(width, 800))
		b.visit(t, "/", `[data-testid="nav"]`)

		if width == 1280 {
			// Unfocused, every entry (Users among them) lies inside the
			// viewport and inside the navigation's visible box.
			var boxes []navFocus
			b.Run(t, "measure the entries", chromedp.Evaluate(`(() => {
			  const nav = document.querySelector('[data-testid="nav"]');
			  const n = nav.getBoundingClientRect();
			  return [...nav.querySelectorAll('a')].map((a) => {
			    const r = a.getBoundingClientRect();
			    return {testid: a.dataset.testid, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
			      clipLeft: n.left, clipRight: n.right, clipTop: n.top, clipBottom: n.bottom};
			  });
			})()`, &boxes))
			users := false
			for _, box := range boxes {
				users = users || box.TestID == "nav-users"
				if box.Left < 0 || box.Right > float64(width) || box.Left < box.ClipLeft || box.Right > box.ClipRight ||
					box.Top < box.ClipTop || box.Bottom > box.ClipBottom {
					t.Errorf("at %d px the entry %s is cut off: %+v", width, box.TestID, box)
				}
			}
			if !users || len(boxes) < 8 {
				t.Errorf("the admin's navigation has %d entries, Users among them: %v", len(boxes), users)
			}
		}

		// Tab through the page until the keyboard has passed the last entry.
		seen := 0
		for press := 0; press < 60; press++ {
			var f navFocus
			b.Run(t, "tab", chromedp.KeyEvent(kb.Tab), chromedp.Evaluate(measureFocus, &f, awaitPromise))
			if !f.InNav {
				if seen > 0 {
					break
				}
				continue
			}
			seen++
			if !f.FocusVisible || f.Ring == 0 {
				t.Errorf("at %d px %s has no visible focus ring", width, f.TestID)
			}
			const slack = 0.5 // subpixel layout
			if f.Left-f.Ring < f.ClipLeft-slack || f.Right+f.Ring > f.ClipRight+slack ||
				f.Top-f.Ring < f.ClipTop-slack || f.Bottom+f.Ring > f.ClipBottom+slack {
				t.Errorf("at %d px focused %s (ring %.0f px) is cut off: %+v", width, f.TestID, f.Ring, f)
			}
			if f.Last {
				break
			}
		}
		if seen < 8 {
			t.Errorf("at %d px the keyboard reached %d navigation entries", width, seen)
		}
		b.Screenshot(t, "nav-"+map[int64]string{1280: "desktop", 360: "phone"}[width])
	}
}
