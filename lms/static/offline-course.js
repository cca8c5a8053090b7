/* "Simpan kursus untuk offline": show the download size first, then keep every page and image with progress. */
(function () {
  "use strict";
  var box = document.getElementById("offline-course");
  if (!box || !window.caches || !navigator.serviceWorker || !window.fetch) {
    return;
  }
  var button = document.getElementById("offline-save");
  var status = document.getElementById("offline-status");
  var bar = document.getElementById("offline-progress");
  var bundle = null;

  function text(name, values) {
    return box.getAttribute("data-msg-" + name).replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }

  fetch(box.getAttribute("data-bundle"), { credentials: "same-origin" }).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (reply) {
    if (!reply) {
      return;
    }
    bundle = reply;
    status.textContent = text("size", { kb: Math.ceil(reply.total_bytes / 1024), pages: reply.pages.length,
                                        images: reply.images.length });
    button.hidden = false;
  }).catch(function () {});

  button.addEventListener("click", function () {
    var items = bundle.pages.concat(bundle.images);
    var done = 0;
    var failed = 0;
    button.disabled = true;
    bar.hidden = false;
    bar.max = items.length;
    caches.open("lms-pages").then(function (cache) {
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          return fetch(item.url, { credentials: "same-origin" }).then(function (response) {
            var page = bundle.pages.indexOf(item) !== -1;
            if (!response.ok || (page && response.headers.get("X-Offline-Cache") !== "1")) {
              throw new Error("not kept");
            }
            return cache.put(item.url, response);
          }).catch(function () {
            failed += 1;
          }).then(function () {
            done += 1;
            bar.value = done;
            status.textContent = text("progress", { done: done, total: items.length });
          });
        });
      }, Promise.resolve());
    }).then(function () {
      status.textContent = text(failed ? "failed" : "done", {});
      button.disabled = false;
    });
  });
})();
