/* Fast Track LMS service worker (hand-written; docs/architecture.md "Offline").
 *
 * Version {{ version }} = app code + published content. A new deploy changes these
 * bytes, so the browser installs the new worker; the page then says "Versi baru
 * tersedia" and the participant chooses when to switch.
 *
 * - Pages: network first, so a page is never stale once online. Only responses the
 *   server marks "X-Offline-Cache: 1" (a participant's own learning pages) are kept,
 *   in the "lms-pages" cache; offline, a kept page is served, else the offline page.
 * - Static files (versioned URLs) and module images: cache first.
 * - /staf and /mentor are never touched. Requests other than GET are never touched.
 * - Logging out offline leaves a "/__lms/logout" mark: before the next page is
 *   fetched online, the worker ends that session on the server first.
 */
"use strict";
var VERSION = {{ version|tojson }};
var SHELL = "lms-shell-" + VERSION;
var PAGES = "lms-pages";
var META = "lms-meta";
var SHELL_URLS = {{ shell|tojson }};
var OFFLINE_URL = SHELL_URLS[0];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_URLS); }));
});

self.addEventListener("message", function (event) {
  if (event.data === "skip-waiting") {
    self.skipWaiting();
  }
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("lms-shell-") === 0 && key !== SHELL;
    }).map(function (key) { return caches.delete(key); }));
  }).then(refreshKeptPages).then(function () { return self.clients.claim(); }));
});

// New content: fetch every kept page again now (those that fail stay as they were, for offline).
function refreshKeptPages() {
  return caches.open(PAGES).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (request) {
        return fetch(request.url, { credentials: "same-origin" }).then(function (response) {
          return keep(cache, request.url, response);
        }).catch(function () {});
      }));
    });
  });
}

// Keep a page the server marked as keepable, and the module images it shows (lazy ones too;
// with "Mode hemat data" the images are data-src and stay on the server until tapped).
function keep(cache, url, response) {
  if (!response.ok || response.headers.get("X-Offline-Cache") !== "1") {
    return Promise.resolve();
  }
  var copy = response.clone();
  return cache.put(url, response).then(function () { return copy.text(); }).then(function (html) {
    var images = html.match(/ src="\/modul\/[^"]+\/gambar\/[^"]+"/g) || [];
    return Promise.all(images.map(function (attribute) {
      var src = attribute.slice(6, -1);
      return cache.match(src).then(function (hit) { return hit || cache.add(src); }).catch(function () {});
    }));
  });
}

function isPrivate(path) {
  return /^\/(staf|mentor)(\/|$)/.test(path);
}

// End the session a participant left offline, before anything else is fetched for this phone.
function finishOfflineLogout() {
  return caches.open(META).then(function (meta) {
    return meta.match("/__lms/logout").then(function (mark) {
      if (!mark) {
        return null;
      }
      return fetch("/offline/token", { credentials: "same-origin" }).then(function (response) {
        if (response.status === 401) {
          return null; // already signed out on the server
        }
        return response.json().then(function (reply) {
          var data = new FormData();
          data.append("csrf_token", reply.csrf_token);
          return fetch({{ url_for("auth.logout")|tojson }}, { method: "POST", body: data, credentials: "same-origin",
                                                              redirect: "manual" });
        });
      }).then(function () { return meta.delete("/__lms/logout"); });
    });
  });
}

function page(request) {
  return finishOfflineLogout().catch(function () {}).then(function () {
    return fetch(request);
  }).then(function (response) {
    if (response.type !== "opaqueredirect") {
      var copy = response.clone(); // before the page reads the body
      caches.open(PAGES).then(function (cache) { return keep(cache, request.url, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request.url, { cacheName: PAGES }).then(function (hit) {
      return hit || caches.match(OFFLINE_URL, { cacheName: SHELL });
    });
  });
}

function cacheFirst(request, cacheName) {
  return caches.match(request, { cacheName: cacheName }).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(cacheName).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || isPrivate(url.pathname)) {
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 && url.search) {
    event.respondWith(cacheFirst(request, SHELL));
  } else if (/^\/modul\/[^/]+\/gambar\//.test(url.pathname)) {
    event.respondWith(cacheFirst(request, PAGES));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});
