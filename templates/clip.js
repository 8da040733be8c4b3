(function () {
  "use strict";
  // "Save clip": the passage with 2 s either side, cut from the recording itself as a 16-bit PCM WAV
  // at its own sample rate, as `transcheck evidence` writes it. No server, no network: the bytes
  // come from the embedded recording or from the file the reader picks, checked by its sha256.
  const doc = document;
  const config = JSON.parse(doc.getElementById("report-data").textContent);
  const rec = config.recording || {};
  const player = doc.getElementById("player");
  const picker = doc.getElementById("clip-source");
  let decoded = null; // the recording, decoded once
  let waiting = null; // the button whose clip waits for the reader to pick the recording

  function say(button, text) {
    const status = button.parentNode.querySelector(".clip-status");
    if (status) { status.textContent = text; }
    const announcer = doc.getElementById("announce");
    if (announcer) { announcer.textContent = text; }
  }
  function embedded() {
    const src = player && player.getAttribute("src");
    if (!src || !src.startsWith("data:")) { return null; }
    const raw = atob(src.slice(src.indexOf(",") + 1));
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }
  async function sha256(buffer) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
    return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  async function decode(buffer) {
    const hash = await sha256(buffer);
    if (rec.sha256 && hash !== rec.sha256) {
      throw new Error("this file is not the recording the report was made from (sha256 " + hash.slice(0, 12) +
                      "\u2026, the report names " + rec.sha256.slice(0, 12) + "\u2026)");
    }
    const context = new OfflineAudioContext(rec.channels || 1, 1, rec.sample_rate);
    return context.decodeAudioData(buffer);
  }
  function wav(audio, a, b) {
    const channels = audio.numberOfChannels, frames = Math.max(0, Math.min(b, audio.length) - a);
    const out = new DataView(new ArrayBuffer(44 + frames * channels * 2));
    const text = (at, s) => { for (let i = 0; i < s.length; i += 1) { out.setUint8(at + i, s.charCodeAt(i)); } };
    text(0, "RIFF"); out.setUint32(4, 36 + frames * channels * 2, true); text(8, "WAVEfmt ");
    out.setUint32(16, 16, true); out.setUint16(20, 1, true); out.setUint16(22, channels, true);
    out.setUint32(24, audio.sampleRate, true); out.setUint32(28, audio.sampleRate * channels * 2, true);
    out.setUint16(32, channels * 2, true); out.setUint16(34, 16, true);
    text(36, "data"); out.setUint32(40, frames * channels * 2, true);
    const data = [];
    for (let c = 0; c < channels; c += 1) { data.push(audio.getChannelData(c)); }
    let at = 44;
    for (let i = a; i < a + frames; i += 1) {
      for (let c = 0; c < channels; c += 1) {
        const x = data[c][i]; // the inverse of the browser's own 16-bit to float (clips.to_int16)
        out.setInt16(at, Math.max(-32768, Math.min(32767, roundEven(x < 0 ? x * 32768 : x * 32767))), true);
        at += 2;
      }
    }
    return new Blob([out.buffer], { type: "audio/wav" });
  }
  function roundEven(x) { // as numpy and Python round: halves to the even neighbour
    const f = Math.floor(x), d = x - f;
    return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
  }
  function download(blob, name) {
    const link = doc.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    doc.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }
  async function save(button, buffer) {
    const id = button.closest("li.disc").id, frames = config.clips[id];
    try {
      if (!decoded) { say(button, "Decoding the recording\u2026"); decoded = await decode(buffer); }
      download(wav(decoded, frames[0], frames[1]), id + ".wav");
      say(button, "Saved " + id + ".wav");
    } catch (err) {
      decoded = null;
      say(button, "Could not save the clip: " + (err && err.message ? err.message : err));
    }
  }
  doc.addEventListener("click", (ev) => {
    const button = ev.target.closest && ev.target.closest("button.save");
    if (!button) { return; }
    if (!rec.sample_rate || !config.clips || !config.clips[button.closest("li.disc").id]) {
      say(button, "This report does not record the recording's sample rate: use `transcheck evidence`.");
      return;
    }
    const buffer = decoded ? null : embedded();
    if (decoded || buffer) { save(button, buffer); return; }
    waiting = button;
    say(button, "Choose the recording (" + (rec.name || "the original file") + ") to cut the clip from.");
    picker.click();
  });
  if (picker) {
    picker.addEventListener("change", async () => {
      const file = picker.files && picker.files[0];
      if (file && waiting) { await save(waiting, await file.arrayBuffer()); }
      picker.value = "";
    });
  }
})();
