// Depotix web: comfort for the movement forms. Loaded as a module only by
// those pages (CSP script-src 'self'); every form works without it — the
// server's answer then says what was booked.

// Swiss grouping, as the server writes numbers: 1’234’567.
function group(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u2019");
}

// data-quantity wraps a quantity input (data-quantity-input), its unit
// select (data-quantity-unit; each option has data-factor, the base units
// it stands for) and an <output data-quantity-preview>. While typing, the
// output shows "= 48 bottles" from data-preview-text and data-base-unit
// (data-base-units for more than one: the server knows the plural).
function wireQuantityPreviews(root) {
  for (const box of root.querySelectorAll("[data-quantity]")) {
    const input = box.querySelector("[data-quantity-input]");
    const unit = box.querySelector("[data-quantity-unit]");
    const out = box.querySelector("[data-quantity-preview]");
    if (!input || !unit || !out) {
      continue;
    }
    const template = box.dataset.previewText || "= {n} {unit}";
    const update = () => {
      // Read each time: a receipt line learns its item's base unit late.
      const one = box.dataset.baseUnit || "";
      const typed = input.value.replace(/[\u2019' ]/g, "").trim();
      const option = unit.options[unit.selectedIndex];
      const factor = option ? Number(option.dataset.factor) : NaN;
      if (!/^\d+$/.test(typed) || !Number.isSafeInteger(factor) || factor < 1) {
        out.hidden = true;
        out.textContent = "";
        return;
      }
      const n = BigInt(typed) * BigInt(factor);
      const name = n === 1n ? one : box.dataset.baseUnits || one;
      out.textContent = template.replace("{n}", group(n)).replace("{unit}", name);
      out.hidden = false;
    };
    input.addEventListener("input", update);
    unit.addEventListener("change", update);
    box.addEventListener("line-known", update);
    update();
  }
}

// data-scan-next on an input: a barcode scanner types the code and Enter.
// Inside a form with several lines that Enter must not send the form; it
// moves on to the field named by data-scan-next (an id) instead, or, when
// the field is empty, to the one named by data-scan-empty (a receipt's
// «Book»: Enter on an empty line ends the entry). Every
// event of the Enter key is kept on this field (keydown and keypress
// cancelled) and focus moves only on keyup, so no part of the keystroke
// reaches the next field, where it would send the form after all.
function wireScanFields(root) {
  for (const input of root.querySelectorAll("input[data-scan-next]")) {
    const next = document.getElementById(input.dataset.scanNext);
    if (!next) {
      continue;
    }
    let pressed = false;
    const hold = (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        pressed = true;
      }
    };
    input.addEventListener("keydown", hold);
    input.addEventListener("keypress", hold);
    input.addEventListener("keyup", (event) => {
      if (event.key !== "Enter" || !pressed) {
        return;
      }
      pressed = false;
      const empty = input.dataset.scanEmpty ? document.getElementById(input.dataset.scanEmpty) : null;
      const target = empty && input.value.trim() === "" ? empty : next;
      target.focus();
      if (typeof target.select === "function") {
        target.select();
      }
    });
  }
}

// data-partner-lookup on a booking form's supplier or customer field (the
// URL answering suggestions, kind included): while typing, the server's
// matches become the options of the field's datalist, each the text people
// read ("Brauerei Falken", "Sonnenhof · 1001") with its key in data-key.
// Choosing one puts the key into the field's hidden input (with the text
// it belongs to, so the server drops it once the text is retyped).
// Without this script the server resolves what was typed and offers the
// candidates itself.
const suggestDelayMs = 250;

function wirePartnerLookups(root) {
  for (const input of root.querySelectorAll("input[data-partner-lookup]")) {
    const list = document.getElementById(input.getAttribute("list") || "");
    if (!list || !window.fetch || !window.DOMParser) {
      continue;
    }
    const key = input.parentElement.querySelector("input[data-partner-key]");
    const keyFor = input.parentElement.querySelector("input[data-partner-key-for]");
    let timer = 0;
    let inflight = null;
    // chosen notes the key of the suggestion the field now shows, if any.
    const chosen = () => {
      const o = [...list.options].find((x) => x.value === input.value && x.dataset.key);
      if (o && key && keyFor) {
        key.value = o.dataset.key;
        keyFor.value = o.value;
      }
      return Boolean(o);
    };
    const suggest = async () => {
      const q = input.value.trim();
      // A chosen suggestion is exact already: nothing to ask.
      if (q === "" || chosen()) {
        return;
      }
      if (inflight) {
        inflight.abort();
      }
      inflight = new AbortController();
      try {
        const res = await fetch(input.dataset.partnerLookup + "&q=" + encodeURIComponent(q), {
          signal: inflight.signal,
          credentials: "same-origin",
          headers: { Accept: "text/html" },
        });
        if (!res.ok) {
          return; // the form still works: the server resolves the text
        }
        const doc = new DOMParser().parseFromString(await res.text(), "text/html");
        const fresh = doc.querySelector("datalist");
        if (!fresh) {
          return; // signed out meanwhile: sending the form will say so
        }
        list.replaceChildren(...fresh.children);
        chosen(); // the whole name typed is as good as chosen
      } catch (err) {
        // Aborted by newer typing, or network trouble: keep what is shown.
      }
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      if (chosen()) {
        return;
      }
      timer = setTimeout(suggest, suggestDelayMs);
    });
  }
}

// data-line-lookup on a receipt's lines (the URL answering a code): as
// soon as a line's code is known (Enter, or leaving the field), the line
// shows the item's name and stock and offers its units. The unit chosen
// stays ("as scanned" by default, which the server resolves from the code
// whatever this script managed), so a slow answer never changes what is
// booked.
function wireLineLookups(root) {
  for (const lines of root.querySelectorAll("[data-line-lookup]")) {
    if (!window.fetch || !window.DOMParser) {
      return;
    }
    for (const row of lines.querySelectorAll("[data-line]")) {
      const code = row.querySelector("[data-line-code]");
      const unit = row.querySelector("select[data-quantity-unit]");
      const info = row.querySelector("[data-line-info]");
      if (!code || !unit || !info) {
        continue;
      }
      let asked = code.value.trim();
      const lookup = async () => {
        const q = code.value.trim();
        if (q === asked) {
          return;
        }
        asked = q;
        if (q === "") {
          info.replaceChildren();
          return;
        }
        try {
          const res = await fetch(lookupURL(lines, q), {
            credentials: "same-origin",
            headers: { Accept: "text/html" },
          });
          if (!res.ok || asked !== q) {
            return; // checking the lines still shows what the code finds
          }
          const doc = new DOMParser().parseFromString(await res.text(), "text/html");
          const answer = doc.querySelector("[data-line-answer]");
          const options = answer ? answer.querySelector("select") : null;
          const found = answer ? answer.querySelector("[data-line-info]") : null;
          if (!options || !found) {
            return; // signed out meanwhile: sending the form will say so
          }
          const keep = unit.value;
          unit.replaceChildren(...options.children);
          unit.value = keep;
          if (unit.selectedIndex < 0) {
            unit.selectedIndex = 0;
          }
          row.dataset.baseUnit = answer.dataset.baseUnit || "";
          row.dataset.baseUnits = answer.dataset.baseUnits || "";
          info.replaceChildren(...found.childNodes);
          row.dataset.lineFound = answer.dataset.found;
          row.dispatchEvent(new Event("line-known"));
        } catch (err) {
          // Network trouble: checking the lines shows the same.
        }
      };
      code.addEventListener("change", lookup);
      code.addEventListener("keyup", (event) => {
        if (event.key === "Enter") {
          lookup();
        }
      });
    }
  }
}

// lookupURL is where a line's code q is looked up: the lines' URL with the
// code and, when data-line-location names a location select (an order's),
// the location chosen, whose available stock the answer then shows.
function lookupURL(lines, q) {
  const url = lines.dataset.lineLookup;
  let out = url + (url.includes("?") ? "&" : "?") + "code=" + encodeURIComponent(q);
  const location = lines.dataset.lineLocation ? document.getElementById(lines.dataset.lineLocation) : null;
  if (location && location.value) {
    out += "&location_id=" + encodeURIComponent(location.value);
  }
  return out;
}

// data-lines holds rows of which the last ones are rendered hidden as
// spares. Without script "add line" (data-add-line, the form's first
// submit button) and each row's remove (data-remove-line) are sent to the
// server, which answers the form with the row added or removed. With it,
// "add line" with an empty add field (data-add-code) shows the next spare
// row, and remove empties its row and hides it: the server leaves empty
// rows out, so what is sent is the same.
function wireLineRows(root) {
  for (const lines of root.querySelectorAll("[data-lines]")) {
    const form = lines.closest("form");
    const add = form ? form.querySelector("[data-add-line]") : null;
    const code = form ? form.querySelector("[data-add-code]") : null;
    if (add && code) {
      add.addEventListener("click", (event) => {
        if (code.value.trim() !== "") {
          return; // a code to find: the server finds it
        }
        const spare = lines.querySelector("[data-line][hidden]");
        if (!spare) {
          return; // no spare left: the server adds one
        }
        event.preventDefault();
        spare.hidden = false;
        const first = spare.querySelector("[data-line-code]");
        if (first) {
          first.focus();
        }
      });
    }
    for (const remove of lines.querySelectorAll("[data-remove-line]")) {
      remove.addEventListener("click", (event) => {
        const row = remove.closest("[data-line]");
        if (!row) {
          return;
        }
        event.preventDefault();
        for (const input of row.querySelectorAll("input")) {
          input.value = "";
        }
        for (const select of row.querySelectorAll("select")) {
          select.selectedIndex = 0;
        }
        const info = row.querySelector("[data-line-info]");
        if (info) {
          info.replaceChildren();
        }
        row.hidden = true;
        if (code) {
          code.focus();
        }
      });
    }
  }
}

// data-stock-for on a form's stock box (the location select's id): the
// chosen location's stock, from the list of the locations holding the
// item (data-stock on each), or data-stock-none where it holds none.
function wireStockAt(root) {
  for (const box of root.querySelectorAll("[data-stock-for]")) {
    const select = document.getElementById(box.dataset.stockFor);
    const out = box.querySelector("[data-stock-chosen]");
    if (!select || !out) {
      continue;
    }
    const update = () => {
      if (select.value === "") {
        out.textContent = "";
        return;
      }
      const at = [...box.querySelectorAll("[data-location-id]")].find((li) => li.dataset.locationId === select.value);
      const stock = at ? at.dataset.stock : box.dataset.stockNone || "";
      out.textContent = (box.dataset.stockText || "{stock}").replace("{stock}", stock);
    };
    select.addEventListener("change", update);
    update();
  }
}

wireQuantityPreviews(document);
wireScanFields(document);
wirePartnerLookups(document);
wireLineLookups(document);
wireStockAt(document);
wireLineRows(document);
// Browser tests wait for this before they "scan": until the script has
// run, a scanner's Enter sends the form (which then only checks it).
document.documentElement.dataset.movementsReady = "true";
