(function () {
  "use strict";
  if (performance.mark) { performance.mark("transcheck-start"); }
  // One delegated listener per event type; nothing per word. Layout is read only for the one word
  // that changes while the recording plays, and the word index is built on first play.
  // Hooks for anyone restyling the templates: ids player, audio-error, pos, prev, next, timeline,
  // playhead, tip, filters, shown, discrepancies, side, announce, report-data; list items li.disc
  // (classes k-*, s-*, v-*; data-t, data-e, data-r) holding .play, .copy, .said q, .printed q, .who,
  // .verdict, .review .rmark, .review .note; transcript cells .rec and .off whose direct <span> children are the words, timed by
  // the cell's data-times; markers a.dm and a.gap; timeline rects .mark[data-d]; buttons .ts[data-t].
  const doc = document;
  const config = JSON.parse(doc.getElementById("report-data").textContent);
  const player = doc.getElementById("player");
  const list = doc.getElementById("discrepancies");
  const side = doc.getElementById("side");
  const timeline = doc.getElementById("timeline");
  const playhead = doc.getElementById("playhead");
  const pos = doc.getElementById("pos");
  const shownLine = doc.getElementById("shown");
  const announcer = doc.getElementById("announce");
  const tip = doc.getElementById("tip");
  const boxes = Array.from(doc.querySelectorAll("#filters input[type=checkbox]"));
  const items = list ? Array.from(list.querySelectorAll("li.disc")) : [];
  const byId = new Map();
  const info = new Map();
  for (const li of items) {
    const c = Array.from(li.classList);
    const pick = (p) => { const x = c.find((n) => n.startsWith(p)); return x ? x.slice(2) : ""; };
    byId.set(li.id, li);
    info.set(li, { k: pick("k-"), s: pick("s-"), v: pick("v-"), t: parseFloat(li.dataset.t), e: parseFloat(li.dataset.e),
                   n: parseInt(li.id.replace(/\D/g, ""), 10) || 0, r: parseInt(li.dataset.r, 10) || 0 });
  }
  const timeOrder = items.slice().sort((a, b) => (info.get(a).t - info.get(b).t) || (info.get(a).n - info.get(b).n));
  const duration = config.duration || (player && player.duration) || 1;
  let hidden = {};
  let mode = "list"; // where the keys navigate: the "list" or the transcript ("text")
  let currentId = null, lastT = null, stopAt = null;

  const clock = (s) => {
    s = Math.max(0, Math.floor(s));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    const two = (x) => (x < 10 ? "0" : "") + x;
    return h ? h + ":" + two(m) + ":" + two(sec) : m + ":" + two(sec);
  };
  const announce = (text) => { if (announcer) { announcer.textContent = ""; announcer.textContent = text; } };
  const isShown = (el) => {
    for (const name in hidden) { if (hidden[name] && el.classList.contains(name)) { return false; } }
    return true;
  };

  // ---- filters and counts -------------------------------------------------------------------
  // What a filter hides: list items, timeline marks and transcript markers (by the hidden attribute),
  // and the styling of the transcript's words (class "h"). The page arrives in the default state.
  const filtered = Array.from(doc.querySelectorAll("li.disc, #timeline .mark, #side .dm, #side .gap"));
  let styledWords = null;
  function readFilters(apply = true) {
    hidden = {};
    for (const box of boxes) { hidden[box.value] = !box.checked; }
    if (apply) {
      for (const el of filtered) { el.toggleAttribute("hidden", !isShown(el)); }
      styledWords = styledWords || (side ? Array.from(side.querySelectorAll(":scope > .row > div > span[class]")) : []);
      for (const el of styledWords) { el.classList.toggle("h", !isShown(el)); }
    }
    updateCounts();
  }
  function updateCounts() {
    const counts = {};
    let shown = 0;
    for (const li of items) {
      if (!isShown(li)) { continue; }
      const x = info.get(li);
      shown += 1;
      counts[x.k + " " + x.s] = (counts[x.k + " " + x.s] || 0) + 1;
      counts[" " + x.s] = (counts[" " + x.s] || 0) + 1;
    }
    for (const td of doc.querySelectorAll(".counts td[data-s]")) {
      const n = counts[td.dataset.k + " " + td.dataset.s] || 0;
      td.querySelector(".n").textContent = n;
      td.classList.toggle("same", String(n) === td.querySelector(".t").textContent.trim());
    }
    if (shownLine) {
      const notes = [];
      for (const b of boxes.filter((x) => !x.checked)) {
        const n = items.filter((li) => li.classList.contains(b.value)).length;
        if (n) { notes.push(b.parentNode.textContent.replace(/\(\d+\)/, "").trim() + " (" + n + ")"); }
      }
      shownLine.textContent = "Showing " + shown + " of " + items.length + " discrepancies" +
        (notes.length ? "; hidden: " + notes.join(", ") + "." : ".");
      if (notes.length) { // the boxes are on screen only: the printout just says what it leaves out
        const hint = doc.createElement("span");
        hint.className = "screen-only";
        hint.textContent = " Tick a box above to show them.";
        shownLine.append(hint);
      }
    }
    updatePos();
  }
  function reveal(li) { // a link to a hidden discrepancy turns its filters on: nothing is out of reach
    if (isShown(li)) { return; }
    for (const box of boxes) { if (!box.checked && li.classList.contains(box.value)) { box.checked = true; } }
    readFilters();
  }

  // ---- order and navigation -------------------------------------------------------------------
  function applyOrder(how) {
    if (!list) { return; }
    const key = how === "time" ? (li) => info.get(li).t * 1e4 + info.get(li).n : (li) => info.get(li).r;
    const frag = doc.createDocumentFragment();
    for (const li of items.slice().sort((a, b) => key(a) - key(b))) { frag.appendChild(li); }
    list.appendChild(frag);
    updatePos();
  }
  const visible = () => (mode === "text" ? timeOrder : Array.from(list ? list.children : [])).filter(isShown);
  function updatePos() {
    if (!pos) { return; }
    const vis = visible(), i = currentId ? vis.indexOf(byId.get(currentId)) : -1;
    pos.textContent = (i >= 0 ? i + 1 : "\u2013") + " / " + vis.length;
  }
  function step(dir) {
    const vis = visible();
    if (!vis.length) { announce("No discrepancies are shown; change the filters."); return; }
    let i = currentId ? vis.indexOf(byId.get(currentId)) : -1;
    if (i >= 0) {
      i = Math.min(vis.length - 1, Math.max(0, i + dir));
    } else if (mode === "text" && lastT !== null) {
      i = dir > 0 ? vis.findIndex((li) => info.get(li).t > lastT) : vis.findLastIndex((li) => info.get(li).t < lastT);
      if (i < 0) { i = dir > 0 ? vis.length - 1 : 0; }
    } else {
      i = dir > 0 ? 0 : vis.length - 1;
    }
    select(vis[i], mode);
  }
  function select(li, how, move = true) { // move: focus it and bring it into view
    const old = currentId && byId.get(currentId);
    if (old) { old.classList.remove("current"); }
    const oldMark = timeline && timeline.querySelector(".mark.current");
    if (oldMark) { oldMark.classList.remove("current"); }
    currentId = li.id;
    mode = how;
    li.classList.add("current");
    const mark = timeline && timeline.querySelector('.mark[data-d="' + li.id + '"]');
    if (mark) { mark.classList.add("current"); }
    if (move) {
      const target = (how === "text" && doc.getElementById("w-" + li.id)) || li;
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center" });
    }
    try { history.replaceState(null, "", "#" + li.id); } catch (e) { /* some file:// setups refuse */ }
    updatePos();
  }
  function fromHash() {
    let id = decodeURIComponent(location.hash.slice(1));
    const inText = id.startsWith("w-");
    if (inText) { id = id.slice(2); }
    const li = byId.get(id);
    if (!li) { return; }
    reveal(li);
    select(li, inText ? "text" : "list");
  }

  // ---- listening ------------------------------------------------------------------------------
  function play(from, to) {
    if (!player) { return; }
    stopAt = to === undefined ? null : to;
    player.currentTime = Math.max(0, from);
    const p = player.play();
    if (p && p.catch) { p.catch(() => {}); }
    if (!raf) { raf = requestAnimationFrame(tick); }
  }
  function playPassage(li) {
    const x = info.get(li);
    play(x.t - config.context, x.e + config.context);
    announce("Playing " + li.id + " from " + clock(x.t - config.context));
  }
  function cellTimes(cell) { // data-times: centiseconds, each after the first relative to the one before
    let t = 0;
    return cell.dataset.times ? cell.dataset.times.split(" ").map((x) => (t += parseInt(x, 10)) / 100) : [];
  }
  function timeOfWord(span) {
    const cell = span.parentNode;
    let k = 0;
    for (let el = cell.firstElementChild; el && el !== span; el = el.nextElementSibling) {
      if (el.tagName === "SPAN") { k += 1; }
    }
    return cellTimes(cell)[k];
  }
  let words = null, wordTimes = null, offWords = null, offTimes = null;
  function indexWords() {
    const collect = (selector) => {
      const els = [], ts = [];
      for (const cell of side.querySelectorAll(selector)) {
        const times = cellTimes(cell);
        let k = 0;
        for (let el = cell.firstElementChild; el; el = el.nextElementSibling) {
          if (el.tagName === "SPAN") { els.push(el); ts.push(times[k]); k += 1; }
        }
      }
      return [els, Float64Array.from(ts)];
    };
    [words, wordTimes] = collect(".rec[data-times]");
    [offWords, offTimes] = collect(".off[data-times]");
  }
  function lastAtOrBefore(ts, t) { // the first of equal times wins, so a matched word beats inserted ones
    let lo = 0, hi = ts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    while (found > 0 && ts[found - 1] === ts[found]) { found -= 1; }
    return found;
  }
  const inView = (el) => { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; };
  let speaking = null, speakingOff = null, raf = 0, lastX = -1;
  function highlight(t) {
    if (!side) { return; }
    if (!words) { indexWords(); }
    const i = lastAtOrBefore(wordTimes, t), j = lastAtOrBefore(offTimes, t);
    const el = i >= 0 ? words[i] : null;
    const off = j >= 0 && el && Math.abs(offTimes[j] - wordTimes[i]) < 0.05 ? offWords[j] : null;
    if (el === speaking && off === speakingOff) { return; }
    const follow = el && speaking && inView(speaking) && !inView(el); // read layout before writing
    if (speaking) { speaking.classList.remove("speaking"); }
    if (speakingOff) { speakingOff.classList.remove("speaking"); }
    if (el) { el.classList.add("speaking"); }
    if (off) { off.classList.add("speaking"); }
    speaking = el;
    speakingOff = off;
    if (follow) { el.scrollIntoView({ block: "center" }); }
  }
  function update() {
    const t = player.currentTime;
    if (stopAt !== null && t >= stopAt) { player.pause(); stopAt = null; }
    const x = Math.round(1000 * Math.min(1, t / duration)) / 10;
    if (playhead && x !== lastX) { playhead.setAttribute("x1", x + "%"); playhead.setAttribute("x2", x + "%"); lastX = x; }
    if (!player.paused || player.seeking || t > 0) { highlight(t); }
  }
  function tick() {
    raf = 0;
    update();
    if (!player.paused) { raf = requestAnimationFrame(tick); }
  }
  if (player) {
    player.addEventListener("error", () => { const note = doc.getElementById("audio-error"); if (note) { note.hidden = false; } });
    player.addEventListener("play", () => { if (!raf) { raf = requestAnimationFrame(tick); } });
    player.addEventListener("seeked", update);
    player.addEventListener("pause", () => { stopAt = null; });
  }

  // ---- citing ---------------------------------------------------------------------------------
  function citation(li) {
    const x = info.get(li);
    const said = li.querySelector(".said q"), printed = li.querySelector(".printed q");
    const who = li.querySelector(".who"), verdict = li.querySelector(".verdict");
    const rmark = li.querySelector(".review .rmark"), note = li.querySelector(".review .note");
    const head = [config.title, config.date].filter(Boolean).join(", ");
    const lines = [
      head + " \u2014 recording at " + clock(x.t) + (who ? " (" + who.textContent + ")" : ""),
      "Said: " + (said ? "\u201c" + said.textContent + "\u201d" : "(nothing; these words were not said)"),
      "Official transcript" + (config.source ? " (" + config.source + ")" : "") + ": " +
        (printed ? "\u201c" + printed.textContent + "\u201d" : "(nothing; the transcript leaves this out)"),
      "transcheck " + li.id + ": " + x.k + ", " + x.s + (verdict ? ", " + verdict.textContent.replace(/^\W+/, "") : ""),
    ];
    if (rmark || note) {
      lines.push("Review: " + [rmark && rmark.textContent, note && "\u201c" + note.textContent + "\u201d"]
        .filter(Boolean).join(" "));
    }
    return lines.join("\n");
  }
  function copied(button, ok) {
    const label = button.textContent;
    button.textContent = ok ? "Copied \u2713" : "Select and copy below";
    announce(ok ? "Citation copied" : "Copying failed: the citation is selected below, press Ctrl+C");
    setTimeout(() => { button.textContent = label; }, 2000);
  }
  function copyByHand(text, button) {
    const box = doc.createElement("textarea");
    box.className = "copybox";
    box.readOnly = true;
    box.rows = 4;
    box.value = text;
    button.parentNode.appendChild(box);
    box.select();
    let ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    if (ok) { box.remove(); } else { box.focus(); box.select(); }
    copied(button, ok);
  }
  function copy(li, button) {
    const text = citation(li);
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(() => copied(button, true), () => copyByHand(text, button));
    } else {
      copyByHand(text, button);
    }
  }

  // ---- events ---------------------------------------------------------------------------------
  doc.addEventListener("click", (ev) => {
    const target = ev.target;
    const button = target.closest("button");
    if (button) {
      const li = button.closest("li.disc");
      if (button.id === "next" || button.id === "prev") { step(button.id === "next" ? 1 : -1); return; }
      if (button.classList.contains("ts")) {
        const t = parseFloat(button.dataset.t);
        if (!li) { mode = "text"; lastT = t; currentId = null; }
        play(t - config.lead);
      } else if (li && button.classList.contains("play")) {
        select(li, "list", false);
        playPassage(li);
      } else if (li && button.classList.contains("copy")) {
        select(li, "list", false);
        copy(li, button);
      }
      return;
    }
    const mark = target.closest(".mark");
    if (mark) { const li = byId.get(mark.dataset.d); if (li) { reveal(li); select(li, "list"); } return; }
    if (timeline && target.closest("#timeline")) {
      const r = timeline.getBoundingClientRect();
      play(duration * Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width)));
      return;
    }
    if (target.tagName === "SPAN" && target.parentNode.dataset && target.parentNode.dataset.times !== undefined) {
      const t = timeOfWord(target);
      if (!isNaN(t)) { mode = "text"; lastT = t; currentId = null; play(t - config.lead); }
    }
  });
  doc.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) { return; }
    const t = ev.target;
    if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT" ||
        (t.tagName === "INPUT" && t.type !== "checkbox" && t.type !== "radio")) { return; }
    if (ev.key === "j" || ev.key === "n") { step(1); }
    else if (ev.key === "k" || ev.key === "p") { step(-1); }
    else if (ev.key === "l" && currentId) { playPassage(byId.get(currentId)); }
    else if (ev.key === "Escape" && player && !player.paused) { player.pause(); }
    else { return; }
    ev.preventDefault();
  });
  doc.addEventListener("focusin", (ev) => {
    const li = ev.target.closest && ev.target.closest("li.disc");
    if (li) { mode = "list"; currentId = li.id; updatePos(); return; }
    if (side && side.contains(ev.target)) {
      mode = "text";
      const href = ev.target.getAttribute && ev.target.getAttribute("href");
      if (href && href.startsWith("#d")) { currentId = href.slice(1); }
      updatePos();
    }
  });
  const filters = doc.getElementById("filters");
  if (filters) {
    filters.addEventListener("change", (ev) => {
      if (ev.target.name === "order") { applyOrder(ev.target.value); } else { readFilters(); }
    });
  }
  if (timeline && tip) {
    timeline.addEventListener("mousemove", (ev) => {
      const mark = ev.target.closest(".mark"), li = mark && byId.get(mark.dataset.d);
      if (!li) { tip.hidden = true; return; }
      const x = info.get(li), said = li.querySelector(".said q"), printed = li.querySelector(".printed q");
      tip.textContent = li.id + " at " + clock(x.t) + ", " + x.k + ", " + x.s + (x.v ? ", " + x.v : "") + ": " +
        (said ? "said \u201c" + said.textContent.slice(0, 80) + "\u201d" : "") +
        (printed ? " printed \u201c" + printed.textContent.slice(0, 80) + "\u201d" : "");
      tip.style.left = Math.min(ev.clientX + 12, innerWidth - 300) + "px";
      tip.style.top = ev.clientY + 16 + "px";
      tip.hidden = false;
    });
    timeline.addEventListener("mouseleave", () => { tip.hidden = true; });
  }
  window.addEventListener("hashchange", fromHash);

  readFilters(boxes.some((box) => box.checked !== box.defaultChecked)); // a restored form needs applying
  const order = doc.querySelector('#filters input[name="order"]:checked');
  if (order && order.value !== "importance") { applyOrder(order.value); }
  if (location.hash) { fromHash(); }
  if (performance.mark) { performance.mark("transcheck-ready"); }
  window.__transcheckReady = true;
})();
