// Submission form: check file sizes before anything is uploaded, and shrink big phone photos
// in the browser (canvas → JPEG, long side 2000 px, quality 0.85) so they fit the limit and
// cost less over 3G. Without JavaScript the server does the same check and keeps the text.
(function () {
  "use strict";
  var form = document.getElementById("submit-form");
  if (!form) { return; }
  var input = form.querySelector('input[type="file"]');
  var errorBox = document.getElementById("size-error");
  if (!input || !errorBox) { return; }
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var tooBigText = form.getAttribute("data-too-big") || "";
  var shrinkingText = form.getAttribute("data-shrinking") || "";
  var LONG_SIDE = 2000, QUALITY = 0.85;
  var SHRINK_ABOVE = 1024 * 1024; // photos over 1 MB are worth shrinking on a slow connection
  var pending = null;
  var canReplace = typeof DataTransfer === "function" && typeof HTMLCanvasElement.prototype.toBlob === "function";

  function sizeLabel(bytes) {
    if (bytes < 1048576) { return Math.max(1, Math.round(bytes / 1024)) + " KB"; }
    return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB";
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function shouldShrink(file) {
    if (file.type === "image/jpeg" || file.type === "image/webp") { return file.size > SHRINK_ABOVE; }
    return file.type === "image/png" && file.size > maxBytes; // keep PNG (screenshots, logos) when it fits
  }

  function decode(file) {
    if (typeof createImageBitmap === "function") {
      return createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () { URL.revokeObjectURL(url); resolve(image); };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      image.src = url;
    });
  }

  function shrink(file) {
    return decode(file).then(function (image) {
      var width = image.width, height = image.height;
      var scale = Math.min(1, LONG_SIDE / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // JPEG has no transparency
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; } // never make it worse
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function tooBig(files) {
    return files.filter(function (file) { return file.size > maxBytes; });
  }

  function report(files) {
    var big = tooBig(files);
    showError(big.map(function (file) {
      return tooBigText.replace("{name}", file.name).replace("{size}", sizeLabel(file.size));
    }).join(" "));
    return big.length === 0;
  }

  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files || []);
    if (!canReplace || !files.some(shouldShrink)) { report(files); return; }
    showError("");
    errorBox.hidden = false;
    errorBox.textContent = shrinkingText;
    pending = Promise.all(files.map(function (file) { return shouldShrink(file) ? shrink(file) : file; }))
      .then(function (result) {
        var transfer = new DataTransfer();
        result.forEach(function (file) { transfer.items.add(file); });
        input.files = transfer.files;
        pending = null;
        return report(result);
      });
  });

  form.addEventListener("submit", function (event) {
    if (pending) {
      event.preventDefault();
      pending.then(function (ok) { if (ok) { form.requestSubmit ? form.requestSubmit() : form.submit(); } });
      return;
    }
    if (!report(Array.prototype.slice.call(input.files || []))) {
      event.preventDefault();
      input.focus();
    }
  });
})();
