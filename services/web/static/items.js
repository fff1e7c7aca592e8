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
