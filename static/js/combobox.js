/*
 * Accessible autocompletes (WAI-ARIA 1.2 combobox with a listbox popup) that
 * progressively enhance two kinds of select. Both keep the select in the form,
 * hidden, carrying the chosen values; the server renders it with only the chosen
 * options, so a page redisplayed after a validation error keeps them.
 *
 * - <select data-autocomplete="URL">: one choice shown in the box.
 * - <select multiple data-autocomplete-multi="URL">: a search box whose results add a
 *   choice, and the choices as a list with a remove button each.
 *
 * Keys: Down/Up move, Enter chooses (and never submits the form while the typed text
 * is not a choice yet), Escape closes.
 */
(function () {
  "use strict";

  var counter = 0;

  /* The box, its popup list and the search behind them, shared by both widgets.
   * `options`: select, id, wrapperClass, extraQuery, onChoose(item), onEmpty(),
   * pendingText() (the typed text that is not a choice yet, or "") and onEscape()
   * (Escape with the list closed). Returns the input. */
  function searchBox(options) {
    var select = options.select;
    var id = options.id;
    var listId = id + "-listbox";
    var url = select.dataset.autocomplete || select.dataset.autocompleteMulti;
    var emptyText = select.dataset.emptyText || "—";
    var countText = select.dataset.countText || "{count}";

    var wrapper = document.createElement("div");
    wrapper.className = options.wrapperClass;
    var input = document.createElement("input");
    input.type = "text";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    ["aria-invalid", "aria-describedby"].forEach(function (name) {
      if (select.getAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    if (select.dataset.placeholder) input.placeholder = select.dataset.placeholder;
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
    if (options.before) wrapper.appendChild(options.before);
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
      var items = list.querySelectorAll('[role="option"]');
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var item = results[index];
      if (!item) return;
      close();
      options.onChoose(item, input);
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
      var mine = ++request;
      var query = "?q=" + encodeURIComponent(input.value.trim()) + (options.extraQuery || "");
      fetch(url + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (mine !== request) return;
          results = data.results || [];
          render();
        })
        .catch(function () { /* Offline or logged out: keep the current choices. */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (!input.value.trim()) {
        if (options.onEmpty) options.onEmpty();
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
          } else if (options.pendingText(input)) {
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
          } else if (options.onEscape) {
            options.onEscape(input);
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
      if (options.onBlur) options.onBlur(input);
    });
    return input;
  }

  function enhanceSingle(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    counter += 1;
    var current = select.options[select.selectedIndex];
    var chosenText = current && current.value ? current.text : "";
    var input = searchBox({
      select: select,
      id: select.id || "combobox-" + counter,
      wrapperClass: "combobox",
      onChoose: function (item, box) {
        select.innerHTML = "";
        select.appendChild(new Option(item.text, item.id, true, true));
        chosenText = item.text;
        box.value = item.text;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      },
      onEmpty: function () {
        select.innerHTML = "";
        select.appendChild(new Option("—", "", true, true));
        chosenText = "";
      },
      pendingText: function (box) {
        return box.value.trim() && box.value !== chosenText;
      },
      onEscape: function (box) { box.value = chosenText; },
      onBlur: function (box) {
        if (box.value.trim() && box.value !== chosenText) box.value = chosenText;
      },
    });
    input.value = chosenText;
  }

  function enhanceMulti(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    counter += 1;
    var removeText = select.dataset.removeText || "×";
    var chosen = document.createElement("ul");
    chosen.className = "chosen";
    var input;

    function showChosen() {
      chosen.innerHTML = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected) return;
        var li = document.createElement("li");
        li.textContent = option.text + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button small";
        remove.textContent = removeText;
        remove.setAttribute("aria-label", removeText + " " + option.text);
        remove.addEventListener("click", function () {
          select.removeChild(option);
          showChosen();
          input.focus();
        });
        li.appendChild(remove);
        chosen.appendChild(li);
      });
    }

    input = searchBox({
      select: select,
      id: select.id || "multicombobox-" + counter,
      wrapperClass: "combobox multi",
      before: chosen,
      extraQuery: select.dataset.kind ? "&kind=" + encodeURIComponent(select.dataset.kind) : "",
      onChoose: function (item, box) {
        var exists = Array.prototype.some.call(select.options, function (o) {
          return o.value === String(item.id);
        });
        if (!exists) select.appendChild(new Option(item.text, item.id, true, true));
        box.value = "";
        showChosen();
      },
      pendingText: function (box) { return box.value.trim(); },
    });
    showChosen();
  }

  function init(root) {
    root = root || document;
    root.querySelectorAll("select[data-autocomplete]").forEach(enhanceSingle);
    root.querySelectorAll("select[data-autocomplete-multi]").forEach(enhanceMulti);
  }

  window.PhoihopCombobox = { init: init };
  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
