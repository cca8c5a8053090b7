/* The offline page: list the pages this phone keeps (their titles, read from the kept copies). */
(function () {
  "use strict";
  var list = document.getElementById("offline-list");
  if (!list || !window.caches) {
    return;
  }
  function empty() {
    var item = document.createElement("li");
    item.textContent = list.getAttribute("data-msg-empty");
    list.appendChild(item);
  }
  caches.open("lms-pages").then(function (cache) {
    return cache.keys().then(function (requests) {
      var pages = requests.filter(function (request) { return !/\/gambar\//.test(request.url); });
      if (!pages.length) {
        empty();
        return null;
      }
      return Promise.all(pages.map(function (request) {
        return cache.match(request).then(function (response) { return response.text(); }).then(function (html) {
          var title = (html.match(/<title>([^<]*)<\/title>/) || [])[1] || request.url;
          var parsed = new DOMParser().parseFromString("<p>" + title + "</p>", "text/html");
          return { url: request.url, title: parsed.body.textContent.replace(/ · Fast Track LMS$/, "") };
        });
      })).then(function (items) {
        items.sort(function (a, b) { return a.url < b.url ? -1 : 1; });
        items.forEach(function (entry) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = entry.url;
          link.textContent = entry.title;
          item.appendChild(link);
          list.appendChild(item);
        });
      });
    });
  });
})();
