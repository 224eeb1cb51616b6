// ruledex: filters tables of class "filterable" by the search box, the
// source select and the "hide deprecated and unsupported" box of the
// .filter block above.
(function () {
  "use strict";
  document.querySelectorAll(".filter").forEach(function (box) {
    var next = box.nextElementSibling;
    var table = next && (next.matches("table") ? next : next.querySelector("table.filterable"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var q = box.querySelector(".q"), src = box.querySelector(".src"), nodep = box.querySelector(".nodep"), shown = box.querySelector(".shown");
    function apply() {
      var words = (q && q.value || "").toLowerCase().split(/\s+/).filter(Boolean);
      var s = src ? src.value : "", hide = nodep && nodep.checked, n = 0;
      rows.forEach(function (tr) {
        var k = tr.getAttribute("data-k") || "";
        var ok = words.every(function (w) { return k.indexOf(w) >= 0; }) &&
          (!s || tr.getAttribute("data-s") === s) && !(hide && tr.hasAttribute("data-dep"));
        tr.hidden = !ok;
        if (ok) n++;
      });
      if (shown) shown.textContent = n + " of " + rows.length;
    }
    [q, src, nodep].forEach(function (el) { if (el) el.addEventListener("input", apply); });
    if (nodep) nodep.addEventListener("change", apply);
    var hash = decodeURIComponent(location.hash.slice(1));
    if (q && hash.indexOf("q=") === 0) q.value = hash.slice(2);
    apply();
  });
})();
// On an indicator group page, title the tab after the indicator shown.
(function () {
  "use strict";
  function retitle() {
    var id = decodeURIComponent(location.hash.slice(1));
    var sec = id && document.getElementById(id);
    if (sec && sec.classList.contains("ind")) {
      var h = sec.querySelector("h1");
      if (h) document.title = h.textContent.replace(/\s+/g, " ").trim() + " · ruledex";
    }
  }
  window.addEventListener("hashchange", retitle);
  retitle();
})();
