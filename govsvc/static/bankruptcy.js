// Bankruptcy coordination pages: print buttons (shown only when scripts run; without them the
// browser's own print command prints the same page).
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
