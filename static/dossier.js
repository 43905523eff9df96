// The summary's live word count (the server counts again: certif/candidates/dossier/rules.py).
// A word: a run of characters between spaces holding at least one letter or digit.
(function () {
  "use strict";
  function count(text) {
    return text.split(/\s+/).filter(function (t) { return /[\p{L}\p{N}_]/u.test(t); }).length;
  }
  document.querySelectorAll("textarea[data-word-count]").forEach(function (area) {
    var out = document.getElementById(area.dataset.wordCount);
    var low = Number(area.dataset.wordsMin), high = Number(area.dataset.wordsMax);
    function show() {
      var n = count(area.value);
      out.textContent = n + (n > 1 ? " mots" : " mot") +
        (n < low || n > high ? " : il en faut entre " + low + " et " + high + "." : " ✓");
    }
    area.addEventListener("input", show);
    show();
  });
})();
