// Starts ReDoc on the api's own OpenAPI document. It lives in a file of its
// own because the page's Content-Security-Policy allows no inline script.
"use strict";

window.addEventListener("DOMContentLoaded", function () {
  // ReDoc's default fonts (Montserrat, Roboto) would have to come from a font
  // CDN; the system's own fonts work offline.
  var sans = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  Redoc.init(
    "/api/openapi.json",
    {
      expandResponses: "200,201",
      requiredPropsFirst: true,
      theme: {
        typography: {
          fontFamily: sans,
          headings: { fontFamily: sans },
          code: { fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace' },
        },
      },
    },
    document.getElementById("redoc"),
  );
});
