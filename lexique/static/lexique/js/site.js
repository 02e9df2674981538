// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function debounce(fn, delay) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, delay);
    };
  }

  function suggest(url, query, done) {
    fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query),
          { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { done(data.results || []); })
      .catch(function () { done([]); });
  }

  // The search box as an ARIA 1.2 combobox: the list of suggestions is reached with the arrow keys,
  // Enter opens the chosen term, Escape closes the list (a second Escape clears the box).
  function Combobox(form) {
    this.form = form;
    this.input = form.querySelector("input[type=search]");
    this.list = form.querySelector("[role=listbox]");
    this.status = form.querySelector("[role=status]");
    this.active = -1;
    this.options = [];
    var input = this.input;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    var self = this;
    input.addEventListener("input", debounce(function () { self.update(); }, 200));
    input.addEventListener("keydown", function (event) { self.key(event); });
    input.addEventListener("blur", function () { setTimeout(function () { self.close(); }, 150); });
    this.list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { window.location.href = option.dataset.url; }
    });
  }

  Combobox.prototype.update = function () {
    var self = this;
    var query = this.input.value.trim();
    if (query.length < 2) { this.close(); this.announce(""); return; }
    suggest(this.form.dataset.suggest, query, function (results) {
      if (self.input.value.trim() !== query) { return; }  // an answer to an older query
      self.show(results);
    });
  };

  Combobox.prototype.show = function (results) {
    var list = this.list;
    list.textContent = "";
    this.options = [];
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    results.forEach(function (result, index) {
      var option = document.createElement("li");
      option.id = list.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = result.url;
      option.textContent = result.headword;
      if (result.lang) { option.lang = result.lang; }
      list.appendChild(option);
      this.options.push(option);
    }, this);
    if (results.length) { this.open(); } else { this.close(); }
    var form = this.form.dataset;
    this.announce(results.length === 0 ? form.countNone : results.length === 1 ? form.countOne
      : form.countMany.replace("{count}", results.length));
  };

  Combobox.prototype.open = function () {
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.select(-1);
  };

  Combobox.prototype.announce = function (text) {
    if (this.status) { this.status.textContent = text; }
  };

  Combobox.prototype.select = function (index) {
    this.options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    this.active = index;
    if (index >= 0) {
      this.input.setAttribute("aria-activedescendant", this.options[index].id);
      this.options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Combobox.prototype.key = function (event) {
    var count = this.options.length;
    var expanded = !this.list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) { return; }
      event.preventDefault();
      if (!expanded) { this.open(); }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = this.active + step;
      if (next >= count) { next = 0; }
      if (next < 0) { next = count - 1; }
      this.select(next);
    } else if (event.key === "Enter" && expanded && this.active >= 0) {
      event.preventDefault();
      window.location.href = this.options[this.active].dataset.url;
    } else if (event.key === "Escape") {
      if (expanded) { event.preventDefault(); this.close(); } else { this.input.value = ""; }
    }
  };

  document.querySelectorAll("form[data-suggest]").forEach(function (form) {
    if (form.querySelector("input[type=search]") && form.querySelector("[role=listbox]")) { new Combobox(form); }
  });

  // Similar terms, published or still proposed, while a contributor types a new headword.
  var similar = document.getElementById("similar");
  var headword = document.getElementById("id_headword_fr");
  if (similar && headword && !similar.dataset.skip) {
    headword.addEventListener("input", debounce(function () {
      var query = headword.value.trim();
      if (query.length < 3) { similar.textContent = ""; return; }
      suggest(similar.dataset.suggest, query, function (results) {
        similar.textContent = "";
        if (!results.length) { return; }
        var intro = document.createElement("p");
        intro.textContent = similar.dataset.intro;
        similar.appendChild(intro);
        var list = document.createElement("ul");
        results.forEach(function (result) {
          var item = document.createElement("li");
          var name = document.createElement(result.url ? "a" : "span");
          if (result.url) { name.href = result.url; }
          name.textContent = result.headword;
          if (result.lang) { name.lang = result.lang; }
          item.appendChild(name);
          if (result.label) { item.appendChild(document.createTextNode(" (" + result.label + ")")); }
          list.appendChild(item);
        });
        similar.appendChild(list);
      });
    }, 300));
  }
})();

// A button that undoes something asks first (the form still works without this file).
document.querySelectorAll("button[data-confirm]").forEach(function (button) {
  button.form.addEventListener("submit", function (event) {
    if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });
});

// Copy buttons (a version's citations): shown only where the page may write to the clipboard; what was
// copied is said in a status region, for screen readers too.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var source = document.getElementById(button.dataset.copy);
  var status = document.getElementById(button.dataset.status);
  if (!source || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      if (status) { status.textContent = button.dataset.done; }
    });
  });
});

// Long work done by the task queue: the progress bar moves as the task reports, and its live region says
// so; once the task has ended the page is loaded again, with the link or the report. Without this file
// the page refreshes itself (<noscript> meta refresh).
document.querySelectorAll("[data-task-status]").forEach(function (task) {
  var bar = task.querySelector("[role=progressbar]");
  var meter = task.querySelector("progress");
  var said = task.querySelector("[role=status]");
  if (!bar || !said) { return; }
  function ask() {
    fetch(task.dataset.taskStatus, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status || status.state === "done" || status.state === "failed") {
          window.location.assign(task.dataset.taskPage);
          return;
        }
        if (status.percent !== null && status.total) {
          var text = status.done + " / " + status.total + " (" + status.percent + " %)";
          bar.setAttribute("aria-valuenow", String(status.percent));
          bar.setAttribute("aria-valuetext", text);
          if (meter) { meter.value = status.percent; }
          said.textContent = text;
        }
        window.setTimeout(ask, 2000);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }
  window.setTimeout(ask, 2000);
});
