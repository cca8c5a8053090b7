/* Fast Track LMS service worker (hand-written; docs/architecture.md "Offline").
 *
 * Version {{ version }} = app code + published content. A new deploy changes these
 * bytes, so the browser installs the new worker; the page then says "Versi baru
 * tersedia" and the participant chooses when to switch.
 *
 * - Pages: only responses the server marks "X-Offline-Cache: 1" (a participant's own
 *   learning pages) are kept, in the "lms-pages" cache; offline, a kept page is served,
 *   else the offline page. Online, a page is fetched from the network first, except a
 *   kept copy known to be current (current()): that is served at once and fetched again
 *   in the background for the next visit (stale-while-revalidate).
 * - Static files (versioned URLs) and module images: cache first.
 * - /staf and /mentor are never touched, except the bootcamp's offline check-in page (kept like a
 *   participant's page when the server marks it). Requests other than GET are never touched.
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
var STATE = "/__lms/state";
// The newest version a page from the server said it was made with, and the phone's time of the
// last request that may have changed what a page shows (a POST: a form, a login, an autosave).
var known = { latest: VERSION, written: 0 };
var loaded = null;

function loadState() {
  loaded = loaded || caches.open(META).then(function (meta) { return meta.match(STATE); }).then(function (hit) {
    return hit ? hit.json() : {};
  }).then(function (saved) {
    known.written = Math.max(known.written, saved.written || 0);
    if (saved.latest && !known.seen) { known.latest = saved.latest; }
  }).catch(function () {});
  return loaded;
}

function saveState() {
  return caches.open(META).then(function (meta) {
    return meta.put(STATE, new Response(JSON.stringify({ latest: known.latest, written: known.written })));
  });
}

// Every page from the server names its version: another one than ours means a deploy happened, so
// no kept page is current any more until the new worker has fetched them again.
function learnVersion(response) {
  var version = response.headers.get("X-Lms-Version");
  if (!version || version === known.latest) {
    return Promise.resolve();
  }
  known.latest = version;
  known.seen = true;
  if (version !== VERSION) {
    self.registration.update().catch(function () {}); // install the new worker: "Versi baru tersedia"
  }
  return saveState();
}

function noteWrite() {
  known.written = Date.now(); // at once: the page the write redirects to may be asked for next
  return loadState().then(saveState);
}

// A kept copy may be shown without asking the server only when nothing says it is outdated: the
// server allows it for that page, it was made with this worker's version, the server has announced no
// other version since, no newer worker waits, and no write has happened on this phone since it was kept.
function current(hit) {
  return hit.headers.get("X-Offline-Swr") === "1" && hit.headers.get("X-Lms-Version") === VERSION &&
    known.latest === VERSION && !self.registration.waiting && !self.registration.installing &&
    Number(hit.headers.get("X-Kept-At") || 0) > known.written;
}

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
        var started = Date.now();
        return fetch(request.url, { credentials: "same-origin" }).then(function (response) {
          return learnVersion(response).then(function () { return keep(cache, request.url, response, started); });
        }).catch(function () {});
      }));
    });
  });
}

// Keep a page the server marked as keepable, and the module images it shows (lazy ones too;
// with "Mode hemat data" the images are data-src and stay on the server until tapped). The copy
// notes when its request started (X-Kept-At), for current(). Resolves to whether it was kept.
function keep(cache, url, response, started) {
  if (!response.ok || response.headers.get("X-Offline-Cache") !== "1") {
    return Promise.resolve(false);
  }
  return response.text().then(function (html) {
    var headers = new Headers(response.headers);
    headers.delete("Content-Encoding"); // the body is already decoded
    headers.delete("Content-Length");
    headers.set("X-Kept-At", String(started));
    var images = html.match(/ src="\/modul\/[^"]+\/gambar\/[^"]+"/g) || [];
    return cache.put(url, new Response(html, { status: 200, headers: headers })).then(function () {
      return Promise.all(images.map(function (attribute) {
        var src = attribute.slice(6, -1);
        return cache.match(src).then(function (hit) { return hit || cache.add(src); }).catch(function () {});
      }));
    }).then(function () { return true; });
  });
}

// The one staff page the worker keeps: the bootcamp's offline check-in desk, which must open again at a
// venue without signal (a reload, a tab the phone closed). Its roster goes at logout with "lms-pages".
var KEPT_STAFF_PAGE = /^\/staf\/kohort\/\d+\/sesi\/\d+\/offline$/;

function isPrivate(path) {
  return /^\/(staf|mentor)(\/|$)/.test(path) && !KEPT_STAFF_PAGE.test(path);
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

function page(event) {
  var request = event.request;
  var started = Date.now();
  return finishOfflineLogout().catch(function () {}).then(loadState).then(function () {
    return caches.match(request.url, { cacheName: PAGES });
  }).then(function (hit) {
    if (hit && current(hit)) {
      event.waitUntil(refresh(request.url, started));
      return hit;
    }
    return network(request, started);
  });
}

function network(request, started) {
  return fetch(request).then(function (response) {
    if (response.type !== "opaqueredirect") {
      var copy = response.clone(); // before the page reads the body
      learnVersion(copy).then(function () {
        return caches.open(PAGES);
      }).then(function (cache) { return keep(cache, request.url, copy, started); });
    }
    return response;
  }).catch(function () {
    return caches.match(request.url, { cacheName: PAGES }).then(function (hit) {
      return hit || caches.match(OFFLINE_URL, { cacheName: SHELL });
    });
  });
}

// The background half of stale-while-revalidate: fetch the page again for the next visit. If it is
// not kept this time (the session ended, the page moved), the next visit goes to the network.
function refresh(url, started) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    return learnVersion(response).then(function () { return caches.open(PAGES); }).then(function (cache) {
      return response.redirected ? false : keep(cache, url, response, started);
    });
  }).then(function (kept) { return kept ? null : noteWrite(); }).catch(function () {});
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
  if (request.method !== "GET") {
    if (url.origin === self.location.origin) {
      event.waitUntil(noteWrite()); // what the pages show may change now
    }
    return;
  }
  if (url.origin !== self.location.origin || isPrivate(url.pathname)) {
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 && url.search) {
    event.respondWith(cacheFirst(request, SHELL));
  } else if (/^\/modul\/[^/]+\/gambar\//.test(url.pathname)) {
    event.respondWith(cacheFirst(request, PAGES));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event));
  }
});
