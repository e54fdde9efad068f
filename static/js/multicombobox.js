/*
 * A multi-choice autocomplete that progressively enhances
 * <select multiple data-autocomplete-multi="URL">: a search box whose results (a
 * WAI-ARIA listbox) add a choice, and the choices as a list with a remove button
 * each. The select stays in the form, hidden, holding one selected option per choice.
 * Enter never submits the form while the box has text or its list is open.
 */
(function () {
  "use strict";

  var counter = 0;

  function enhance(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    counter += 1;
    var id = select.id || "multicombobox-" + counter;
    var listId = id + "-listbox";
    var url = select.dataset.autocompleteMulti;
    var kind = select.dataset.kind || "";

    var wrapper = document.createElement("div");
    wrapper.className = "combobox multi";
    var chosen = document.createElement("ul");
    chosen.className = "chosen";
    var input = document.createElement("input");
    input.type = "text";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    if (select.dataset.placeholder) input.placeholder = select.dataset.placeholder;
    select.id = id + "-select";
    input.id = id;
    var list = document.createElement("ul");
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.hidden = true;

    select.hidden = true;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(chosen);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(select);

    var results = [];
    var active = -1;
    var timer = null;
    var request = 0;

    function showChosen() {
      chosen.innerHTML = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected) return;
        var li = document.createElement("li");
        li.textContent = option.text + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button small";
        remove.textContent = select.dataset.removeText || "×";
        remove.setAttribute("aria-label", (select.dataset.removeText || "×") + " " + option.text);
        remove.addEventListener("click", function () {
          select.removeChild(option);
          showChosen();
          input.focus();
        });
        li.appendChild(remove);
        chosen.appendChild(li);
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      var item = results[index];
      if (!item) return;
      var exists = Array.prototype.some.call(select.options, function (o) {
        return o.value === String(item.id);
      });
      if (!exists) select.appendChild(new Option(item.text, item.id, true, true));
      input.value = "";
      close();
      showChosen();
    }

    function highlight(index) {
      var options = list.querySelectorAll('[role="option"]');
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    function render() {
      list.innerHTML = "";
      active = -1;
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "no-results";
        none.textContent = select.dataset.emptyText || "—";
        list.appendChild(none);
      }
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.text;
        if (item.detail) {
          var small = document.createElement("small");
          small.textContent = item.detail;
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchResults() {
      var mine = ++request;
      var query = "?q=" + encodeURIComponent(input.value.trim()) + (kind ? "&kind=" + kind : "");
      fetch(url + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (mine !== request) return;
          results = data.results || [];
          render();
        })
        .catch(function () { /* Offline or logged out: keep the choices. */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (!input.value.trim()) { close(); return; }
      timer = setTimeout(fetchResults, 200);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { fetchResults(); } else { highlight(active + 1); }
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!list.hidden) highlight(active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden || input.value.trim()) event.preventDefault();
        if (!list.hidden) {
          if (active >= 0) { choose(active); } else if (results.length === 1) { choose(0); }
        }
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", close);
    showChosen();
  }

  function init(root) {
    (root || document).querySelectorAll("select[data-autocomplete-multi]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
