// The bootcamp check-in screen (lms/bootcamp): fetch the page again every 30 seconds and swap in the
// new QR code and the count, instead of a <meta refresh> reload (which screen readers cannot stop and
// axe-core reports). Without JavaScript the <noscript> refresh in the head still reloads the page.
(function () {
  "use strict";
  var qr = document.getElementById("checkin-qr");
  if (!qr || !window.fetch || !window.DOMParser) { return; }
  function refresh() {
    fetch(location.href, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      document.querySelectorAll("[data-screen-part]").forEach(function (part) {
        var next = fresh.querySelector('[data-screen-part="' + part.dataset.screenPart + '"]');
        if (next) { part.replaceWith(document.importNode(next, true)); }
      });
    }).catch(function () { /* the screen lost its network: keep the code shown, try again next time */ });
  }
  setInterval(refresh, 30000);
}());
