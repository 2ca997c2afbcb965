/* Every page: a button with data-confirm="…" asks before its form is sent (loaded by base.html,
   so no page can set the text and forget the script). Irreversible actions do not rely on this:
   the server answers them with a confirmation page (govsvc/confirm.py). CSP: no inline script. */
(function () {
  "use strict";
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
