/* Upload queue, on the assignment page only (docs/architecture.md "Offline-first"). A submission sent
 * offline is kept on the phone with its files (IndexedDB "lms-f<uid>", wiped at logout by offline.js).
 * Online again, each file goes to /unggah in 256 KB chunks, resumed at the server's offset after a
 * drop; then the form is sent once with its token, naming the uploads. A refusal keeps the item and
 * says why; a token already used for other content can be sent again as a new submission. */
(function () {
  "use strict";
  var form = document.getElementById("submit-form");
  var off = window.lmsOffline;
  if (!form || !off || !off.uid || !window.indexedDB || !window.fetch || !window.crypto) { return; }
  form.removeAttribute("data-queue"); // this file queues the form, files included, instead of offline.js
  var CHUNK = 256 * 1024, RETRY_MS = 5000;
  var dbName = "lms-f" + off.uid, result = null;
  var here = new URL(form.action).pathname, busy = false, timer = null, bars = {};
  var box = document.createElement("div");
  box.id = "upload-queue";
  box.setAttribute("role", "status");
  form.parentNode.insertBefore(box, form);

  function say(name) { return form.getAttribute("data-q-" + name) || ""; }
  function newToken() {
    var bytes = crypto.getRandomValues(new Uint8Array(24));
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_");
  }
  function store(mode, work) {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open(dbName, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("queue", { keyPath: "k" }); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var db = open.result, tx = db.transaction("queue", mode), req = work(tx.objectStore("queue"));
        tx.oncomplete = function () { db.close(); resolve(req.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      };
    });
  }
  function all() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return items.filter(function (item) { return item.url === here; });
    });
  }
  function save(item) { return store("readwrite", function (s) { return s.put(item); }); }
  function drop(item) { return store("readwrite", function (s) { return s.delete(item.k); }); }
  function total(item) { return item.files.reduce(function (n, f) { return n + f.blob.size; }, 0); }

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.onclick = onClick;
    return b;
  }
  function render() {
    return all().then(function (items) {
      box.textContent = "";
      bars = {};
      items.forEach(function (item) {
        var p = document.createElement("p");
        p.className = "flash " + (item.error ? "flash-error" : "flash-info");
        var files = item.files.length ? " " + say("files").replace("{n}", item.files.length) : "";
        p.textContent = (item.error || off.msg("queued") + files) + " ";
        if (item.files.length && !item.error) {
          var bar = bars[item.k] = document.createElement("progress");
          bar.max = total(item);
          bar.value = 0;
          bar.setAttribute("aria-label", say("progress"));
          p.appendChild(bar);
        }
        if (item.error) {
          p.appendChild(button(item.conflict ? say("new") : say("retry"), function () {
            if (item.conflict) { item.token = newToken(); }
            delete item.error;
            save(item).then(render).then(flush);
          }));
          p.appendChild(button(say("delete"), function () { drop(item).then(render); }));
        }
        box.appendChild(p);
      });
    });
  }

  function refusal(message, status) {
    var error = new Error(message || say("failed"));
    error.status = status;
    error.refused = status !== 401;
    if (status === 401) { error.message = "login"; }
    return error;
  }
  function post(url, csrf, headers, body) {
    headers["X-CSRFToken"] = csrf;
    return fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin" });
  }
  function answer(r) {
    return r.json().catch(function () { return {}; }).then(function (b) {
      if (!r.ok && r.status !== 409) { throw refusal(b.error, r.status); }
      if (r.status === 409 && typeof b.offset !== "number") { throw refusal(b.error, 409); }
      return b;
    });
  }
  function sendFile(item, i, csrf, shown) {
    var blob = item.files[i].blob;
    var start = JSON.stringify({ client_token: item.token, index: i, size: blob.size, name: item.files[i].name });
    return post("/unggah", csrf, { "Content-Type": "application/json" }, start).then(answer).then(function (state) {
      function next(offset) {
        if (bars[item.k]) { bars[item.k].value = shown + offset; }
        if (offset >= blob.size) { return state.id; }
        return post(state.url, csrf, { "Upload-Offset": String(offset), "Content-Type": "application/octet-stream" },
          blob.slice(offset, offset + CHUNK)).then(answer).then(function (b) { return next(b.offset); });
      }
      return next(state.offset);
    });
  }
  function send(item, csrf) {
    var names = [], shown = 0;
    return item.files.reduce(function (chain, file, i) {
      return chain.then(function () { return sendFile(item, i, csrf, shown); }).then(function (name) {
        names.push(name);
        shown += file.blob.size;
      });
    }, Promise.resolve()).then(function () {
      var data = new FormData();
      item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
      data.set("csrf_token", csrf);
      data.set("client_token", item.token);
      if (names.length) { data.set("upload_ids", names.join(" ")); }
      return fetch(item.url, { method: "POST", body: data, credentials: "same-origin" });
    }).then(function (r) {
      if (r.status >= 500) { throw new Error("server"); }
      return r.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (r.ok && r.redirected && new URL(r.url).pathname === item.url) {
          result = doc.getElementById("isi"); // says "saved", or "already saved" after a lost answer
          return drop(item);
        }
        throw refusal(Array.prototype.map.call(doc.querySelectorAll("#isi .flash-error, #isi .error"), function (e) {
          return e.textContent.trim();
        }).join(" "), r.status);
      });
    }).catch(function (error) {
      if (!error.refused) { throw error; }
      item.error = error.message;
      item.conflict = error.status === 409;
      return save(item);
    });
  }
  function flush() {
    if (busy || !navigator.onLine) { return; }
    busy = true;
    clearTimeout(timer);
    all().then(function (items) {
      items = items.filter(function (item) { return !item.error; });
      return items.length && off.token().then(function (t) {
        return items.reduce(function (chain, item) {
          return chain.then(function () { return send(item, t.csrf_token); });
        }, Promise.resolve());
      });
    }).then(function () {
      busy = false;
      return all();
    }).then(function (left) {
      if (result && !left.length) { // show the page the last send led to: its versions and the saved notice
        document.getElementById("isi").replaceWith(document.importNode(result, true));
      } else { render(); }
      result = null;
    }, function (error) {
      busy = false;
      if (error.message === "login") { off.loginBanner(); } else { timer = setTimeout(flush, RETRY_MS); }
      render();
    });
  }

  form.addEventListener("submit", function (e) {
    if (e.defaultPrevented || navigator.onLine) { return; } // online, the form is posted as it is
    e.preventDefault();
    var fields = [], files = [], token = form.querySelector("[name=client_token]");
    new FormData(form).forEach(function (value, key) {
      if (value instanceof File) {
        if (value.size) { files.push({ blob: value, name: value.name }); }
      } else if (key !== "csrf_token" && key !== "client_token") { fields.push([key, value]); }
    });
    var item = { k: Date.now() + "-" + Math.random(), url: here, token: token.value, fields: fields, files: files };
    save(item).then(function () {
      form.reset();
      token.value = newToken(); // a second send from this kept page is another submission
      render();
    });
  });
  window.addEventListener("online", flush);
  render().then(flush);
})();
