/*
 * Date boxes (units.forms.DateInput) take dd/mm/yyyy whatever the browser's locale.
 * While digits are typed at the end, the slashes after the day and the month are
 * added; the server parses the text, so the box works the same without this script.
 */
(function () {
  "use strict";

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-date-input]")) return;
    // Deleting or editing in the middle: leave the text as the user makes it.
    if (event.inputType && event.inputType.indexOf("insert") !== 0) return;
    if (input.selectionStart !== input.value.length) return;
    var value = input.value.replace(/\/{2,}/g, "/");
    if (/^\d{2}$/.test(value) || /^\d{1,2}\/\d{2}$/.test(value)) value += "/";
    input.value = value;
  });
})();
