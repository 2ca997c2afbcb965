/* Inspection ledger pages: confirmations, printing, enterprise suggestions, and re-running a
   published random draw in the visitor's own browser (WebCrypto SHA-256). No inline script (CSP). */
(function () {
  "use strict";

  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Enterprise pickers: fill the datalist with "code name" suggestions as the user types.
  var list = document.getElementById("enterprise-options");
  if (list && list.dataset.url) {
    var timer = null;
    document.querySelectorAll("input[data-suggest='enterprise']").forEach(function (input) {
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        var q = input.value.trim();
        if (q.length < 2 || /^[0-9A-Z]{18} /.test(q)) { return; }
        timer = window.setTimeout(function () {
          fetch(list.dataset.url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : []; })
            .then(function (options) {
              list.replaceChildren.apply(list, options.map(function (text) {
                var option = document.createElement("option");
                option.value = text;
                return option;
              }));
            });
        }, 200);
      });
    });
  }

  // Re-run a draw here, from the published seed and lists.
  function parseCsv(text) {
    var rows = [], row = [], cell = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
        else if (c === '"') { quoted = false; }
        else { cell += c; }
      } else if (c === '"') { quoted = true; }
      else if (c === ",") { row.push(cell); cell = ""; }
      else if (c === "\n") { row.push(cell.replace(/\r$/, "")); rows.push(row); row = []; cell = ""; }
      else { cell += c; }
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    var header = rows.shift() || [];
    return rows.filter(function (r) { return r.length > 1; }).map(function (r) {
      var o = {};
      header.forEach(function (h, k) { o[h] = r[k] || ""; });
      return o;
    });
  }

  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (buf) {
      return Array.from(new Uint8Array(buf)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    });
  }

  function rank(items, keyOf) {
    return Promise.all(items.map(function (x) { return sha256(keyOf(x)); })).then(function (keys) {
      return items.map(function (x, i) { return [keys[i], x]; })
        .sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; })
        .map(function (p) { return p[1]; });
    });
  }

  var verify = document.getElementById("verify-in-browser");
  if (verify) {
    verify.addEventListener("click", function () {
      var out = document.getElementById("verify-result");
      if (!window.crypto || !crypto.subtle) { out.textContent = "此浏览器不支持本机计算（需要 HTTPS）。"; return; }
      var seed = document.getElementById("draw-seed").textContent.trim();
      var count = parseInt(verify.dataset.count, 10), perTeam = parseInt(verify.dataset.perTeam, 10);
      out.textContent = "正在计算……";
      Promise.all([fetch(verify.dataset.enterprises).then(function (r) { return r.text(); }),
                   fetch(verify.dataset.inspectors).then(function (r) { return r.text(); })])
        .then(function (texts) {
          var codes = parseCsv(texts[0]).filter(function (r) { return !r.excluded; }).map(function (r) { return r.credit_code; });
          var people = parseCsv(texts[1]).map(function (r) { return r.code; });
          return rank(codes, function (c) { return seed + ":E:" + c; }).then(function (ranked) {
            var picked = ranked.slice(0, count);
            return Promise.all(picked.map(function (c) {
              return rank(people, function (p) { return seed + ":P:" + c + ":" + p; })
                .then(function (team) { return [c, team.slice(0, perTeam).join("；")]; });
            }));
          });
        })
        .then(function (outcome) {
          var shown = Array.from(document.querySelectorAll("#draw-result tbody tr")).map(function (tr) {
            return [tr.querySelector("[data-code]").dataset.code, tr.querySelector("[data-team]").dataset.team];
          });
          var same = JSON.stringify(shown) === JSON.stringify(outcome);
          out.textContent = same ? "本机计算结果与公布结果完全一致。" : "本机计算结果与公布结果不一致！";
          out.className = same ? "badge ok" : "badge danger";
        })
        .catch(function () { out.textContent = "计算失败，请稍后重试。"; });
    });
  }
})();
