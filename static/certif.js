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

  document.addEventListener("htmx:beforeRequest", function (evt) { clear(evt.detail.elt); });

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
