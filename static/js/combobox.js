/*
 * An accessible autocomplete (WAI-ARIA 1.2 combobox with a listbox popup) that
 * progressively enhances <select data-autocomplete="URL">. The select stays in
 * the form, hidden, and carries the chosen value; the server renders it with only
 * the chosen option, so a page redisplayed after a validation error keeps it.
 * Keys: Down/Up move, Enter chooses (and never submits the form while the typed
 * text is not a choice yet), Escape closes (twice: restores the text).
 */
(function () {
  "use strict";

  var counter = 0;

  function enhance(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    counter += 1;
    var url = select.dataset.autocomplete;
    var id = select.id || "combobox-" + counter;
    var listId = id + "-listbox";
    var emptyText = select.dataset.emptyText || "—";
    var countText = select.dataset.countText || "{count}";
    var chosen = select.options[select.selectedIndex];
    var chosenText = chosen && chosen.value ? chosen.text : "";

    var wrapper = document.createElement("div");
    wrapper.className = "combobox";
    var input = document.createElement("input");
    input.type = "text";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    if (select.getAttribute("aria-describedby")) input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    if (select.dataset.placeholder) input.placeholder = select.dataset.placeholder;
    input.value = chosenText;
    // The label points at the select's id: give that id to the visible input.
    select.id = id + "-select";
    input.id = id;
    var list = document.createElement("ul");
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var label = document.querySelector('label[for="' + id + '"]');
    if (label) {
      if (!label.id) label.id = id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    var live = document.createElement("div");
    live.className = "sr-only";
    live.setAttribute("aria-live", "polite");

    select.hidden = true;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(live);
    wrapper.appendChild(select);

    var results = [];
    var active = -1;
    var timer = null;
    var request = 0;

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll('[role="option"]');
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var item = results[index];
      if (!item) return;
      select.innerHTML = "";
      select.appendChild(new Option(item.text, item.id, true, true));
      chosenText = item.text;
      input.value = item.text;
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function clear() {
      select.innerHTML = "";
      select.appendChild(new Option("—", "", true, true));
      chosenText = "";
    }

    function render() {
      list.innerHTML = "";
      active = -1;
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "no-results";
        none.textContent = emptyText;
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
      live.textContent = results.length
        ? countText.replace("{count}", results.length)
        : emptyText;
      open();
    }

    function fetchResults() {
      var query = input.value.trim();
      var mine = ++request;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (mine !== request) return;
          results = data.results || [];
          render();
        })
        .catch(function () { /* Offline or logged out: keep the current choice. */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (!input.value.trim()) {
        clear();
        close();
        return;
      }
      timer = setTimeout(fetchResults, 200);
    });

    input.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (list.hidden) { fetchResults(); } else { highlight(active + 1); }
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!list.hidden) highlight(active - 1);
          break;
        case "Enter":
          if (!list.hidden) {
            event.preventDefault();
            if (active >= 0) {
              choose(active);
            } else if (results.length === 1) {
              choose(0);
            }
          } else if (input.value.trim() && input.value !== chosenText) {
            // Typed but not chosen yet (the list is still on its way): submitting
            // now would send the old choice, or none. Show the list instead.
            event.preventDefault();
            clearTimeout(timer);
            fetchResults();
          }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            close();
          } else {
            input.value = chosenText;
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
      if (input.value.trim() && input.value !== chosenText) input.value = chosenText;
    });
  }

  function init(root) {
    (root || document).querySelectorAll("select[data-autocomplete]").forEach(enhance);
  }

  window.PhoihopCombobox = { init: init };
  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
