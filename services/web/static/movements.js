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
// output shows "= 48 bottle" from data-preview-text and data-base-unit.
function wireQuantityPreviews(root) {
  for (const box of root.querySelectorAll("[data-quantity]")) {
    const input = box.querySelector("[data-quantity-input]");
    const unit = box.querySelector("[data-quantity-unit]");
    const out = box.querySelector("[data-quantity-preview]");
    if (!input || !unit || !out) {
      continue;
    }
    const template = box.dataset.previewText || "= {n} {unit}";
    const base = box.dataset.baseUnit || "";
    const update = () => {
      const typed = input.value.replace(/[\u2019' ]/g, "").trim();
      const option = unit.options[unit.selectedIndex];
      const factor = option ? Number(option.dataset.factor) : NaN;
      if (!/^\d+$/.test(typed) || !Number.isSafeInteger(factor) || factor < 1) {
        out.hidden = true;
        out.textContent = "";
        return;
      }
      const n = BigInt(typed) * BigInt(factor);
      out.textContent = template.replace("{n}", group(n)).replace("{unit}", base);
      out.hidden = false;
    };
    input.addEventListener("input", update);
    unit.addEventListener("change", update);
    update();
  }
}

// data-scan-next on an input: a barcode scanner types the code and Enter.
// Inside a form with several lines that Enter must not send the form; it
// moves on to the field named by data-scan-next (an id) instead. Every
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
      next.focus();
      if (typeof next.select === "function") {
        next.select();
      }
    });
  }
}

// data-partner-lookup on a booking form's supplier or customer field (the
// URL answering suggestions, kind included): while typing, the server's
// matches become the options of the field's datalist, each the exact text
// the server books ("Brauerei Falken (s5)"). Without this script the
// server resolves what was typed and offers the candidates itself.
const suggestDelayMs = 250;

function wirePartnerLookups(root) {
  for (const input of root.querySelectorAll("input[data-partner-lookup]")) {
    const list = document.getElementById(input.getAttribute("list") || "");
    if (!list || !window.fetch || !window.DOMParser) {
      continue;
    }
    let timer = 0;
    let inflight = null;
    const suggest = async () => {
      const q = input.value.trim();
      // A chosen suggestion is exact already: nothing to ask.
      if (q === "" || [...list.options].some((o) => o.value === input.value)) {
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
      } catch (err) {
        // Aborted by newer typing, or network trouble: keep what is shown.
      }
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, suggestDelayMs);
    });
  }
}

wireQuantityPreviews(document);
wireScanFields(document);
wirePartnerLookups(document);
// Browser tests wait for this before they "scan": until the script has
// run, a scanner's Enter sends the form (which then only checks it).
document.documentElement.dataset.movementsReady = "true";
