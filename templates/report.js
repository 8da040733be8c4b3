(function () {
  "use strict";
  var player = document.getElementById("player");
  var words = Array.prototype.slice.call(document.querySelectorAll(".rec .w[data-t]"));
  function play(t) {
    if (!player) { return; }
    player.currentTime = Math.max(0, t - 0.5);
    var p = player.play();
    if (p && p.catch) { p.catch(function () {}); }
  }
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-t]");
    if (!el || el.tagName === "A") { return; }
    play(parseFloat(el.getAttribute("data-t")));
  });
  var current = null;
  if (player) {
    player.addEventListener("timeupdate", function () {
      var t = player.currentTime, lo = 0, hi = words.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (parseFloat(words[mid].getAttribute("data-t")) <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      var el = found >= 0 ? words[found] : null;
      if (el !== current) {
        if (current) { current.classList.remove("speaking"); }
        if (el) { el.classList.add("speaking"); }
        current = el;
      }
    });
  }
})();
