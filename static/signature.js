// certif: the signing pad. Draw with a pointer (mouse, pen, touch) into a canvas whose
// PNG goes into a hidden field, or type one's name. Works in content swapped in by htmx.
(function () {
  "use strict";

  function setup(pad) {
    if (pad.dataset.ready) return;
    pad.dataset.ready = "1";
    var canvas = pad.querySelector("[data-signature-canvas]");
    var field = pad.querySelector("[data-signature-image]");
    var draw = pad.querySelector("[data-signature-draw]");
    var typed = pad.querySelector("[data-signature-typed]");
    var ctx = canvas.getContext("2d");
    var drawing = false, inked = false, last = null;

    function choose() {
      var chosen = pad.querySelector("[data-signature-choice]:checked");
      var drawn = chosen && chosen.value === "drawn";
      draw.hidden = !drawn;
      typed.hidden = drawn;
    }

    function point(evt) {
      var box = canvas.getBoundingClientRect();
      return {x: (evt.clientX - box.left) * canvas.width / box.width,
              y: (evt.clientY - box.top) * canvas.height / box.height};
    }

    canvas.addEventListener("pointerdown", function (evt) {
      evt.preventDefault();
      drawing = true;
      last = point(evt);
      canvas.setPointerCapture(evt.pointerId);
    });
    canvas.addEventListener("pointermove", function (evt) {
      if (!drawing) return;
      var next = point(evt);
      ctx.lineWidth = 3;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#10243e";
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(next.x, next.y);
      ctx.stroke();
      last = next;
      inked = true;
    });
    function stop() {
      if (!drawing) return;
      drawing = false;
      if (inked) field.value = canvas.toDataURL("image/png");
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);

    pad.querySelector("[data-signature-clear]").addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      field.value = "";
      inked = false;
    });
    pad.querySelectorAll("[data-signature-choice]").forEach(function (radio) {
      radio.addEventListener("change", choose);
    });
    choose();
  }

  function setupAll(root) {
    (root || document).querySelectorAll("[data-signature-pad]").forEach(setup);
  }

  document.addEventListener("DOMContentLoaded", function () { setupAll(document); });
  document.addEventListener("htmx:load", function (evt) { setupAll(evt.target); });
})();
