(function () {
  "use strict";
  var table = document.getElementById("briefings");
  if (!table) { return; }
  var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
  function key(row, col, numeric) {
    var v = row.cells[col].getAttribute("data-v");
    if (v === null) { v = row.cells[col].textContent; }
    return numeric ? (v === "" ? -Infinity : parseFloat(v)) : v.toLowerCase();
  }
  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var numeric = th.getAttribute("data-type") === "num";
      var up = th.getAttribute("aria-sort") !== "ascending";
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, col, numeric), y = key(b, col, numeric);
        return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
      });
      rows.forEach(function (r) { body.appendChild(r); });
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
    });
  });
  var only = document.getElementById("only-uncertain");
  if (only) {
    only.addEventListener("change", function () {
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = only.checked && row.getAttribute("data-uncertain") === "0";
      });
    });
  }
})();
