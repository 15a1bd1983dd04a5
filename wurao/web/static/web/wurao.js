/* Small behaviours every page may use, wired by data attributes instead of inline handlers
   (the Content-Security-Policy allows no inline script):

     <select data-autosubmit>            submits its form when the choice changes
     <form data-confirm="...">           asks before submitting; nothing is sent on "Cancel"
     <button type="button" data-print>   opens the browser's print dialog

   Listeners sit on the document, so content HTMX swaps in later behaves the same. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    const select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
  });

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
