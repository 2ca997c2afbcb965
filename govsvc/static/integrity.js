// Integrity module (CSP forbids inline scripts): the certificate's print button, and on a
// clue's handling form only the fields that the chosen action uses.
document.addEventListener("DOMContentLoaded", function () {
  var printButton = document.getElementById("print-certificate");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }

  var target = document.getElementById("act-target");
  if (!target) { return; }
  // Which fields each action needs; the note is always shown.
  var uses = {
    assigned: ["act-unit_code", "act-deadline"],
    concluded: ["act-verification", "act-rectify_by"],
  };
  var optional = ["act-verification", "act-unit_code", "act-deadline", "act-rectify_by"];
  function update() {
    var wanted = uses[target.value] || [];
    optional.forEach(function (id) {
      var input = document.getElementById(id);
      if (!input) { return; }
      var field = input.closest(".field");
      var hasError = field.classList.contains("has-error");
      field.hidden = wanted.indexOf(id) < 0 && !hasError;
    });
  }
  target.addEventListener("change", update);
  update();
});
