/* 年度评议 (survey): the online ballot's live counters and cap guard, answers kept in this tab's
   sessionStorage (a long meeting, an expired session, a refused submit: nothing chosen is lost),
   the paper-entry preview and print buttons. CSP 'self': no inline script. */
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  var receipt = document.getElementById("receipt");
  if (receipt && receipt.dataset.clearKey) { forget(receipt.dataset.clearKey); }
  var ballotForm = document.getElementById("ballot-form");
  if (ballotForm) { ballot(ballotForm); }
  var paperForm = document.getElementById("paper-form");
  if (paperForm) { paperEntry(paperForm); }

  function forget(key) {
    try { window.sessionStorage.removeItem(key); } catch (e) { /* storage disabled */ }
  }

  // -- the online ballot -------------------------------------------------------------------
  function ballot(form) {
    var key = form.dataset.storageKey;
    var sections = Array.prototype.slice.call(form.querySelectorAll(".ballot-category"));
    var accepted = {};  // radio group name → the value it had before the current change

    function groups(section) {
      return Array.prototype.slice.call(section.querySelectorAll("fieldset.rating"));
    }
    function valueOf(fieldset) {
      var checked = fieldset.querySelector("input[type=radio]:checked");
      return checked ? checked.value : "";
    }
    function count(section) {
      var result = { satisfied: 0, dissatisfied: 0, blank: 0 };
      groups(section).forEach(function (fieldset) {
        var value = valueOf(fieldset);
        if (!value) { result.blank += 1; } else if (value in result) { result[value] += 1; }
      });
      return result;
    }
    function render(section) {
      var cap = Number(section.dataset.cap), c = count(section);
      var counter = section.querySelector(".counter");
      counter.textContent = "满意 " + c.satisfied + "/" + cap + " · 不满意 " + c.dissatisfied + "/" + cap;
      counter.classList.toggle("over", c.satisfied > cap || c.dissatisfied > cap);
      counter.classList.toggle("full", c.satisfied === cap || c.dissatisfied === cap);
      return c;
    }
    function renderUnrated() {
      var blank = sections.reduce(function (sum, s) { return sum + count(s).blank; }, 0);
      var note = document.getElementById("ballot-unrated");
      note.textContent = blank ? "还有 " + blank + " 个部门未评价（未评价视为不了解，不计分）。" : "全部部门均已评价。";
    }
    function overCap(section) {
      var cap = Number(section.dataset.cap), c = count(section), label = section.dataset.label;
      if (c.satisfied > cap) { return label + "：“满意”选了 " + c.satisfied + " 个，超过上限 " + cap + " 个。"; }
      if (c.dissatisfied > cap) { return label + "：“不满意”选了 " + c.dissatisfied + " 个，超过上限 " + cap + " 个。"; }
      return "";
    }
    function save() {
      if (!key) { return; }
      var data = {};
      form.querySelectorAll("input[type=radio]:checked, textarea").forEach(function (el) {
        if (el.value) { data[el.name] = el.value; }
      });
      try { window.sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage disabled or full */ }
    }
    function restore() {
      var data;
      try { data = JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (e) { data = null; }
      if (!data) { return false; }
      Object.keys(data).forEach(function (name) {
        var field = form.elements[name];
        if (!field) { return; }
        if (field.tagName === "TEXTAREA") {
          field.value = data[name];
          var details = field.closest("details");
          if (details) { details.open = true; }
        } else {
          Array.prototype.forEach.call(field, function (radio) { radio.checked = radio.value === data[name]; });
        }
      });
      return true;
    }

    var errors = document.getElementById("ballot-errors");
    if (form.dataset.restore === "0" && errors.textContent.trim()) { errors.focus(); }
    if (form.dataset.restore === "1" && restore()) {
      var restored = document.getElementById("ballot-errors");
      restored.innerHTML = "";
      var p = document.createElement("p");
      p.className = "flash flash-info";
      p.textContent = "已恢复您在本页上次填写的内容，请检查后提交。";
      restored.appendChild(p);
    }
    sections.forEach(function (section) {
      groups(section).forEach(function (fieldset) {
        var radio = fieldset.querySelector("input[type=radio]");
        accepted[radio.name] = valueOf(fieldset);
      });
      render(section);
    });
    renderUnrated();

    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type !== "radio") { save(); return; }
      var section = target.closest(".ballot-category");
      var cap = Number(section.dataset.cap), c = count(section), message = section.querySelector(".cap-message");
      var word = target.value === "satisfied" && c.satisfied > cap ? "满意"
        : target.value === "dissatisfied" && c.dissatisfied > cap ? "不满意" : "";
      if (word) {
        // Stop the choice: the department goes back to what it had, the counter stays at the cap.
        var before = accepted[target.name] || "";
        Array.prototype.forEach.call(form.elements[target.name], function (radio) {
          radio.checked = radio.value === before;
        });
        message.textContent = "“" + word + "”最多选 " + cap + " 个（" + section.dataset.n + " 个部门的三分之一），已经选满。"
          + "如要选这一项，请先把另一个部门的“" + word + "”改为其他评价。";
        message.classList.add("active");
      } else {
        accepted[target.name] = target.value;
        message.textContent = "";
        message.classList.remove("active");
      }
      render(section);
      renderUnrated();
      save();
    });
    form.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA") { save(); }
    });
    form.addEventListener("submit", function (event) {
      var problems = sections.map(overCap).filter(Boolean);
      if (problems.length) {
        event.preventDefault();
        var box = document.getElementById("ballot-errors");
        box.innerHTML = "";
        var p = document.createElement("p");
        p.className = "flash flash-danger";
        p.textContent = "未能提交：" + problems.join(" ") + "请改少后再提交。";
        box.appendChild(p);
        box.focus();
      }
    });
  }

  // -- paper entry ----------------------------------------------------------------------------
  function paperEntry(form) {
    var keys = { "1": "satisfied", "2": "basic", "3": "dissatisfied", "4": "unknown", "0": "blank", "-": "blank",
      ".": "blank", "X": "unreadable", "*": "unreadable" };
    form.querySelectorAll(".paper-part").forEach(function (part) {
      var category = part.dataset.category, n = Number(part.dataset.n), cap = Number(part.dataset.cap);
      var input = form.elements[category], preview = document.getElementById(category + "-preview");
      var items = document.querySelectorAll("#" + category + "-order li");
      function update(advance) {
        var typed = input.value.toUpperCase().replace(/\s/g, "").split("").filter(Boolean);
        var bad = typed.filter(function (k) { return !(k in keys); });
        var tally = { satisfied: 0, dissatisfied: 0, unreadable: 0 };
        typed.forEach(function (k) { if (keys[k] in tally) { tally[keys[k]] += 1; } });
        var parts = ["已输入 " + typed.length + "/" + n + " 位", "满意 " + tally.satisfied + "/" + cap,
          "不满意 " + tally.dissatisfied + "/" + cap];
        if (tally.unreadable) { parts.push("无法辨认 " + tally.unreadable); }
        if (bad.length) { parts.push("无法识别的字符：" + bad.join(" ")); }
        if (typed.length > n) { parts.push("多了 " + (typed.length - n) + " 位"); }
        if (typed.length < n && items[typed.length]) { parts.push("下一位：" + items[typed.length].textContent.trim()); }
        preview.textContent = parts.join(" · ");
        preview.classList.toggle("over", tally.satisfied > cap || tally.dissatisfied > cap || bad.length > 0
          || typed.length > n || tally.unreadable > 0);
        items.forEach(function (li, i) { li.classList.toggle("current", i === typed.length); });
        if (advance && typed.length === n && !bad.length && category === "enforcement") {
          form.elements.service.focus();
        }
      }
      input.addEventListener("input", function () { update(true); });
      update(false);
    });
  }
})();
