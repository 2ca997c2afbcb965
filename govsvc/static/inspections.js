/* Inspection ledger pages: printing, enterprise suggestions, and re-running a
   published random draw in the visitor's own browser (WebCrypto SHA-256). No inline script (CSP). */
(function () {
  "use strict";

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

  var verify = document.getElementById("verify-in-browser");
  if (verify) {
    verify.addEventListener("click", function () {
      var out = document.getElementById("verify-result");
      if (!window.crypto || !crypto.subtle) { out.textContent = "此浏览器不支持本机计算（需要 HTTPS）。"; return; }
      var seed = document.getElementById("draw-seed").textContent.trim();
      var count = parseInt(verify.dataset.count, 10), perTeam = parseInt(verify.dataset.perTeam, 10);
      var maxLoad = verify.dataset.maxLoad ? parseInt(verify.dataset.maxLoad, 10) : Infinity;
      out.textContent = "正在计算……";
      function text(url) { return fetch(url).then(function (r) { return r.text(); }); }
      // An enterprise of weight w ranks by the smallest of its w ticket keys ("c", "c:2" … "c:w").
      function ticketKey(row) {
        var tickets = [row.credit_code];
        for (var k = 2; k <= parseInt(row.weight || "1", 10); k++) { tickets.push(row.credit_code + ":" + k); }
        return Promise.all(tickets.map(function (t) { return sha256(seed + ":E:" + t); }))
          .then(function (keys) { return keys.sort()[0]; });
      }
      Promise.all([text(verify.dataset.enterprises), text(verify.dataset.inspectors), text(verify.dataset.recusals)])
        .then(function (texts) {
          var rows = parseCsv(texts[0]).filter(function (r) { return !r.excluded; });
          var people = parseCsv(texts[1]).map(function (r) { return r.code; });
          var recused = {};
          parseCsv(texts[2]).forEach(function (r) { recused[r.code + "|" + r.credit_code] = true; });
          return Promise.all(rows.map(ticketKey)).then(function (keys) {
            var picked = rows.map(function (r, i) { return [keys[i], r.credit_code]; })
              .sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; })
              .slice(0, count).map(function (p) { return p[1]; });
            var load = {};
            people.forEach(function (p) { load[p] = 0; });
            // Teams are formed in draw order: each depends on the loads before it.
            return picked.reduce(function (done, c) {
              return done.then(function (teams) {
                var free = people.filter(function (p) { return !recused[p + "|" + c]; });
                return Promise.all(free.map(function (p) { return sha256(seed + ":P:" + c + ":" + p); })).then(function (keys) {
                  var team = free.map(function (p, i) { return [load[p] >= maxLoad ? 1 : 0, keys[i], p]; })
                    .sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); })
                    .slice(0, perTeam).map(function (x) { return x[2]; });
                  team.forEach(function (p) { load[p] += 1; });
                  return teams.concat([[c, team.join("；")]]);
                });
              });
            }, Promise.resolve([]));
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
