// certif: the current part's elapsed time on the grid page (templates/grading/_parts_panel.html).
// The server renders the seconds elapsed when it answered (data-part-elapsed); this counts on
// from the moment the element appeared, so the juror's clock never matters. A panel swapped
// by htmx brings its own count.
(function () {
  "use strict";

  function format(seconds) {
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + " min " + (rest < 10 ? "0" : "") + rest + " s";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-part-elapsed]").forEach(function (elt) {
      if (!elt.dataset.partSeen) elt.dataset.partSeen = String(now);
      var seconds = parseInt(elt.dataset.partElapsed, 10) +
        Math.floor((now - parseInt(elt.dataset.partSeen, 10)) / 1000);
      elt.textContent = format(seconds);
      var over = seconds > parseInt(elt.dataset.partPlanned, 10);
      var panel = elt.closest("[data-parts]");
      if (!panel) return;
      panel.classList.toggle("parts-over", over);
      var flag = panel.querySelector(".part-over");
      if (flag) flag.hidden = !over;
    });
  }

  tick();
  window.setInterval(tick, 1000);
})();
