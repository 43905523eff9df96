// certif: say on the spot when an action was not saved, next to where it was made.
(function () {
  "use strict";

  function regionOf(elt) {
    var row = elt && elt.closest ? elt.closest("[data-status-region]") : null;
    return row;
  }

  function show(elt, message) {
    var row = regionOf(elt);
    var status = row ? row.querySelector(".status") : null;
    if (!status) {
      status = document.getElementById("flash-live");
      status.hidden = false;
    }
    status.textContent = message;
    if (row) row.classList.add("has-error");
  }

  function clear(elt) {
    var row = regionOf(elt);
    if (!row) return;
    row.classList.remove("has-error");
    var status = row.querySelector(".status");
    if (status) status.textContent = "";
  }

  // Show which button is being saved until the answer (the row is then replaced).
  function pending(evt, on) {
    var trigger = evt.detail.requestConfig && evt.detail.requestConfig.triggeringEvent;
    var button = trigger && trigger.submitter;
    if (!button) return;
    button.classList.toggle("is-pending", on);
    if (on) button.setAttribute("aria-busy", "true"); else button.removeAttribute("aria-busy");
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    clear(evt.detail.elt);
    pending(evt, true);
  });
  document.addEventListener("htmx:afterRequest", function (evt) { pending(evt, false); });

  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr;
    var type = xhr.getResponseHeader("Content-Type") || "";
    var message = type.indexOf("text/plain") === 0 && xhr.responseText
      ? xhr.responseText
      : "Erreur " + xhr.status + " : l'action n'a pas été enregistrée. Réessayez.";
    show(evt.detail.elt, message);
  });

  function offline(evt) {
    var polling = evt.detail.requestConfig && evt.detail.requestConfig.verb === "get";
    show(evt.detail.elt, polling
      ? "Connexion au serveur perdue : nouvel essai dans quelques secondes."
      : "Non enregistré : la connexion au serveur est perdue. Vérifiez la connexion puis cliquez à nouveau.");
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);
})();

// After an htmx swap, give the focus back to the button that was used (same id:
// `ordre-<exam>-up`), or to its other direction when that one is gone (first/last).
(function () {
  "use strict";
  var keptId = null;

  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    keptId = active && active.id && active.hasAttribute("data-focus-keep") ? active.id : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!keptId) return;
    var other = keptId.replace(/-(up|down)$/, function (m, d) { return d === "up" ? "-down" : "-up"; });
    var target = document.getElementById(keptId) || document.getElementById(other);
    keptId = null;
    if (target) target.focus();
  });
})();
