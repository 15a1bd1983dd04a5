/* Long pick lists without a library: a search box that filters a list as one types
   (data-filter-list names the list, each row carries data-filter-text), and officers whose
   certificate ends before the day entered (data-valid-on-field names the date field) shown
   but not tickable, with the reason. */
(function () {
  "use strict";

  function filterList(input) {
    var list = document.querySelector(input.dataset.filterList);
    if (!list) return;
    var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    list.querySelectorAll("[data-filter-text]").forEach(function (row) {
      var text = row.dataset.filterText.toLowerCase();
      var hit = words.every(function (word) { return text.indexOf(word) !== -1; });
      // Whoever is ticked stays in sight, so the choice made so far is never hidden.
      var keep = hit || row.querySelector("input:checked") !== null;
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    var none = list.querySelector("[data-filter-none]");
    if (none) none.hidden = shown > 0;
  }

  function markCertificates(picker) {
    var day = document.querySelector(picker.dataset.validOnField);
    if (!day || !day.value) return;
    picker.querySelectorAll("input[data-valid-until]").forEach(function (box) {
      var expired = box.dataset.validUntil < day.value; // ISO dates compare as text
      box.disabled = expired;
      if (expired) box.checked = false;
      var reason = box.closest(".form-check").querySelector(".officer-expired");
      if (reason) reason.hidden = !expired;
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-filter-list]")) filterList(event.target);
  });
  document.addEventListener("change", function (event) {
    document.querySelectorAll("[data-valid-on-field]").forEach(function (picker) {
      if (event.target.matches(picker.dataset.validOnField)) markCertificates(picker);
    });
  });
})();
