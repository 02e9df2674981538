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

  function renderList(container, intro, results) {
    container.textContent = "";
    if (!results.length) { return; }
    if (intro) {
      var p = document.createElement("p");
      p.textContent = intro;
      container.appendChild(p);
    }
    var list = document.createElement("ul");
    results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = result.url;
      link.textContent = result.headword;
      if (result.lang) { link.lang = result.lang; }
      item.appendChild(link);
      list.appendChild(item);
    });
    container.appendChild(list);
  }

  function suggest(url, query, done) {
    fetch(url + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { done(data.results || []); })
      .catch(function () { done([]); });
  }

  // Results as you type in the search box.
  document.querySelectorAll("form[data-suggest]").forEach(function (form) {
    var input = form.querySelector("input[type=search]");
    var output = form.querySelector(".suggestions");
    if (!input || !output) { return; }
    input.addEventListener("input", debounce(function () {
      var query = input.value.trim();
      if (query.length < 2) { output.textContent = ""; return; }
      suggest(form.dataset.suggest, query, function (results) { renderList(output, "", results); });
    }, 200));
  });

  // Similar existing terms while a contributor types a new headword.
  var similar = document.getElementById("similar");
  var headword = document.getElementById("id_headword_fr");
  if (similar && headword && !similar.dataset.skip) {
    var intro = similar.dataset.intro;
    headword.addEventListener("input", debounce(function () {
      var query = headword.value.trim();
      if (query.length < 3) { similar.textContent = ""; return; }
      suggest(similar.dataset.suggest, query, function (results) { renderList(similar, intro, results); });
    }, 300));
  }
})();
