// Depotix web: search as you type on list pages (items and the master data
// lists). Without this script the filter form is a plain GET form; with it,
// typing or changing a filter fetches the same URL the form would open and
// swaps only the results region, keeping the focus in the search field.
//
// Wired by data-live-search="<id of the results region>" on the form.

const delayMs = 250;

function wireLiveSearch(form) {
  const region = document.getElementById(form.dataset.liveSearch);
  if (!region || !window.fetch || !window.DOMParser) {
    return;
  }
  let timer = 0;
  let inflight = null;

  async function refresh() {
    const params = new URLSearchParams(new FormData(form));
    for (const [key, value] of [...params]) {
      if (value === "") {
        params.delete(key);
      }
    }
    const query = params.toString();
    const url = form.action.split("?")[0] + (query ? "?" + query : "");
    if (inflight) {
      inflight.abort();
    }
    inflight = new AbortController();
    region.setAttribute("aria-busy", "true");
    try {
      const res = await fetch(url, {
        signal: inflight.signal,
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      const target = new URL(url, location.href);
      if (!res.ok || new URL(res.url).pathname !== target.pathname) {
        // An error page or a redirect (to sign in): show it as a page.
        location.assign(url);
        return;
      }
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      const fresh = doc.getElementById(region.id);
      if (!fresh) {
        location.assign(url);
        return;
      }
      region.replaceChildren(...fresh.childNodes);
      history.replaceState(null, "", url);
    } catch (err) {
      if (err.name !== "AbortError") {
        // Network trouble: leave the results as they are; the form still
        // submits normally.
        region.removeAttribute("aria-busy");
      }
      return;
    }
    region.removeAttribute("aria-busy");
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, delayMs);
  }

  for (const field of form.elements) {
    if (field.type === "search") {
      field.addEventListener("input", later);
    } else if (field.tagName === "SELECT" || field.type === "checkbox") {
      field.addEventListener("change", refresh);
    }
  }
}

for (const form of document.querySelectorAll("form[data-live-search]")) {
  wireLiveSearch(form);
}

// A typed supplier field (data-supplier-lookup = the URL answering
// suggestions): an item's "add supplier" form and the item form's preferred
// supplier. As one types, the server's matches become the field's
// datalist, and when the text is exactly one of them its id goes along in
// the field's hidden id input, so two suppliers of one name cannot be mixed
// up. Without this script the server resolves the text and offers the
// candidates itself.
function wireSupplierLookup(input) {
  const list = document.getElementById(input.getAttribute("list") || "");
  const field = input.closest(".field");
  const hidden = field ? field.querySelector("input[data-supplier-id]") : null;
  if (!list || !window.fetch || !window.DOMParser) {
    return;
  }
  let timer = 0;
  let inflight = null;

  function choose() {
    if (!hidden) {
      return;
    }
    const matches = [...list.options].filter((o) => o.value === input.value);
    hidden.value = matches.length === 1 ? matches[0].dataset.id || "" : "";
  }

  async function suggest() {
    const q = input.value.trim();
    if (q === "") {
      list.replaceChildren();
      return;
    }
    if (inflight) {
      inflight.abort();
    }
    inflight = new AbortController();
    try {
      const res = await fetch(input.dataset.supplierLookup + "?q=" + encodeURIComponent(q), {
        signal: inflight.signal,
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!res.ok) {
        return; // the form still works: the server resolves the text
      }
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      // One answer serves every field: its datalist's own id differs.
      const fresh = doc.querySelector("datalist");
      if (!fresh) {
        return; // signed out meanwhile: the submit will say so
      }
      list.replaceChildren(...fresh.children);
      choose();
    } catch (err) {
      // Aborted by newer typing, or network trouble: keep what is shown.
    }
  }

  input.addEventListener("input", () => {
    choose();
    clearTimeout(timer);
    timer = setTimeout(suggest, delayMs);
  });
  input.addEventListener("change", choose);
}

for (const input of document.querySelectorAll("input[data-supplier-lookup]")) {
  wireSupplierLookup(input);
}
