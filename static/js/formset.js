/*
 * Small page behaviours: "add another row" for Django formsets (a <template>
 * holding the empty form), and focus on the error summary after a refused save.
 */
(function () {
  "use strict";

  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var rows = document.querySelector('[data-formset="' + prefix + '"]');
    if (!total || !template || !rows) return;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    if (window.PhoihopCombobox) window.PhoihopCombobox.init(row);
    var first = row.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset-add]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { addRow(button.dataset.formsetAdd); });
    });
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  });
})();
