// Depotix web: small enhancements over pages that work without script.
// Loaded as a module from a hashed URL (CSP script-src 'self'); nothing here
// is needed to use a page, each behaviour only makes it more convenient.
//
// Pattern: a behaviour is named by a data- attribute in the HTML, found once
// when the page loads, and wired with addEventListener. No inline handlers,
// no globals, no third-party code.

// data-copy="ID" on a button copies the value of the element with that id
// to the clipboard. The button is hidden in the HTML (without script there
// is nothing to click) and shown here; data-copied-label is its label for a
// moment after copying.
function wireCopyButtons(root) {
  if (!navigator.clipboard) {
    return;
  }
  for (const button of root.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    if (!source) {
      continue;
    }
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value ?? source.textContent);
        button.textContent = button.dataset.copiedLabel || label;
        setTimeout(() => {
          button.textContent = label;
        }, 2000);
      } catch {
        // Clipboard refused (permissions): the value stays selectable.
        source.focus();
      }
    });
  }
}

// data-select-on-focus on an input selects its whole value when focused, so
// a secret shown once is copied whole by hand too.
function wireSelectOnFocus(root) {
  for (const input of root.querySelectorAll("input[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
}

// data-error-summary marks the list of a failed form's problems. Its links
// (href="#<field id>") jump to the field without script; here a link also
// moves the focus into the field, with the field's label scrolled into view
// above it, so the person types straight away. <html data-forms-ready> tells
// browser tests the links are wired.
function wireErrorSummaries(root) {
  for (const summary of root.querySelectorAll("[data-error-summary]")) {
    for (const link of summary.querySelectorAll('a[href^="#"]')) {
      link.addEventListener("click", (event) => {
        const field = document.getElementById(link.hash.slice(1));
        if (!field) {
          return;
        }
        event.preventDefault();
        const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
        (label ?? field).scrollIntoView({ block: "start" });
        field.focus({ preventScroll: true });
        history.replaceState(null, "", link.hash);
      });
    }
  }
  document.documentElement.dataset.formsReady = "";
}

wireCopyButtons(document);
wireSelectOnFocus(document);
wireErrorSummaries(document);
