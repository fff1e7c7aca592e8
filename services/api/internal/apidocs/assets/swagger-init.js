// Starts Swagger UI on the api's own OpenAPI document. It lives in a file of
// its own because the page's Content-Security-Policy allows no inline script.
"use strict";

window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    // BaseLayout has no top bar with a field for loading other documents.
    layout: "BaseLayout",
    deepLinking: true,
    // The default validator badge is an image from validator.swagger.io: it would
    // reach outside the LAN and hand the document's address to a third party.
    validatorUrl: null,
    // Ignore ?url= and ?configUrl=, so a link cannot make this page show (and
    // send requests for) a document from elsewhere.
    queryConfigEnabled: false,
    displayRequestDuration: true,
    tryItOutEnabled: false,
  });
});
