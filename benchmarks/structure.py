"""Structure benchmark: recordings as they really are (issue 14).

    python -m benchmarks.structure [--shared ../shared/speech] [--work DIR] [--only NAME]

Builds briefing shapes from the shared recordings and espeak-ng speech (pre-roll, post-roll,
partial coverage both ways, a moved and a repeated paragraph, long silence, music) with and
without a real edit inside, checks each with verification, and prints per case the alarms raised,
whether the real edit was found and whether the shape was reported (in `coverage`, or as a
`moved`/`repeated` discrepancy). Goals: no alarm on a faithful case, every edit found, every shape
reported.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared" / "speech"
RATE = 16000

CHATTER = ("We are still waiting for the spokesperson to arrive. The room is quite full this morning. "
           "Somebody said that the car is stuck in traffic near the bridge.")
AFTER = ("That is the end of the briefing. We now return to the studio for the rest of the news, "
         "and the weather after that.")
EDIT = ("the oldest of all cities", "the newest of all cities")


@dataclass(frozen=True)
class Case:
    name: str
    pieces: tuple  # ("speech", folder) | ("espeak", text, voice) | ("silence", s) | ("music", s)
    printed: Callable[[dict[str, str]], str]
    shape: Optional[str]  # what must be reported: a coverage reason, "moved" or "repeated"
    edit: Optional[tuple[str, str]] = None
    dropped: bool = False  # the last answer is missing from the transcript: an omission, never coverage


def _lines(texts: dict[str, str], name: str) -> list[str]:
    return [x for x in texts[name].splitlines() if x.strip()]


def lj(texts):
    return texts["ljspeech_seven_wonders_reading"]


def moved(texts):
    lines = _lines(texts, "ljspeech_seven_wonders_reading")
    return "\n\n".join(lines[:2] + [lines[7]] + lines[2:7] + lines[8:])


def repeated(texts):
    lines = _lines(texts, "ljspeech_seven_wonders_reading")
    return "\n\n".join(lines[:4] + [lines[3]] + lines[4:])


QUESTION_FR = "Quand est-ce que la ville ancienne de Babylone sera reconstruite, et qui va payer les travaux?"
QUESTION_EN = "When will the ancient city of Babylon be rebuilt, and who will pay for the work?"


def interpreted(texts):
    return f"{lj(texts)}\n\nQUESTION: {QUESTION_EN}\n\nANSWER: {texts['jfk_inaugural_excerpt']}"


QUESTION_LAST = "And what did the president say about that?"


def dropped_answer(texts):
    return f"{lj(texts)}\n\nQUESTION: {QUESTION_LAST}"


def jfk_lj(texts):
    return texts["jfk_inaugural_excerpt"] + "\n\n" + lj(texts)


CASES = [
    Case("faithful", (("speech", "ljspeech_seven_wonders_reading"),), lj, None),
    Case("pre-roll", (("espeak", CHATTER, "en"), ("silence", 2.0), ("speech", "ljspeech_seven_wonders_reading")),
         lj, "before the transcript begins"),
    Case("post-roll", (("speech", "ljspeech_seven_wonders_reading"), ("silence", 2.0), ("espeak", AFTER, "en")),
         lj, "after the transcript ends"),
    Case("transcript covers part 1 of 2", (("speech", "jfk_inaugural_excerpt"), ("silence", 2.0),
                                           ("speech", "ljspeech_seven_wonders_reading")),
         lambda t: t["jfk_inaugural_excerpt"], "after the transcript ends"),
    Case("recording ends early", (("speech", "jfk_inaugural_excerpt"),), jfk_lj, "after the recording ends"),
    Case("recording starts late", (("speech", "ljspeech_seven_wonders_reading"),),
         lambda t: t["jfk_inaugural_excerpt"] + "\n\n" + lj(t), "before the recording begins"),
    Case("partial both ways", (("espeak", CHATTER, "en"), ("silence", 2.0), ("speech", "jfk_inaugural_excerpt")),
         jfk_lj, "before the transcript begins"),
    Case("moved paragraph", (("speech", "ljspeech_seven_wonders_reading"),), moved, "moved"),
    Case("repeated paragraph", (("speech", "ljspeech_seven_wonders_reading"),), repeated, "repeated"),
    Case("interpreted question", (("speech", "ljspeech_seven_wonders_reading"), ("silence", 1.5),
                                  ("espeak", QUESTION_FR, "fr"), ("silence", 0.7), ("espeak", QUESTION_EN, "en"),
                                  ("silence", 1.5), ("speech", "jfk_inaugural_excerpt")), interpreted, None),
    Case("dropped final answer", (("speech", "ljspeech_seven_wonders_reading"), ("silence", 1.5),
                                  ("espeak", QUESTION_LAST, "en"), ("silence", 2.0),
                                  ("speech", "jfk_inaugural_excerpt")), dropped_answer, None, dropped=True),
    Case("long silence", (("speech", "jfk_inaugural_excerpt"), ("silence", 30.0),
                          ("speech", "ljspeech_seven_wonders_reading")), jfk_lj, None),
    Case("music", (("speech", "jfk_inaugural_excerpt"), ("music", 15.0),
                   ("speech", "ljspeech_seven_wonders_reading")), jfk_lj, None),
]


def _with_edits(cases: list[Case]) -> list[Case]:
    out = []
    for case in cases:
        out.append(case)
        if case.dropped:  # the case is its own real edit
            continue
        printed = case.printed
        if case.name == "moved paragraph":
            edit = ("the chief city of Babylonia", "the largest city of Babylonia")  # inside the moved one
        elif case.name == "interpreted question":
            edit = ("who will pay for the work", "who paid for the work")  # inside the interpretation
        elif case.name in ("recording ends early", "partial both ways", "transcript covers part 1 of 2"):
            edit = ("my fellow Americans", "my fellow citizens")
        else:
            edit = EDIT
        out.append(Case(case.name + " + edit", case.pieces,
                        lambda t, p=printed, e=edit: p(t).replace(e[0], e[1], 1), case.shape, edit))
    return out


def _samples(piece: tuple, shared: Path, work: Path) -> np.ndarray:
    from transcheck.audio import load_audio

    kind = piece[0]
    if kind == "speech":
        folder = shared / piece[1]
        audio = next(p for p in folder.iterdir() if p.suffix in (".flac", ".mp3", ".wav"))
        return load_audio(audio).samples
    if kind == "espeak":
        out = work / f"espeak-{hashlib.sha256(repr(piece).encode()).hexdigest()[:12]}.wav"
        if not out.exists():
            subprocess.run(["espeak-ng", "-v", piece[2], "-s", "150", "-w", str(out), piece[1]], check=True)
        return load_audio(out).samples
    if kind == "silence":
        return np.zeros(int(piece[1] * RATE), dtype=np.float32)
    t = np.arange(int(piece[1] * RATE)) / RATE  # music: a chord that changes each half second
    notes = 220.0 * 2 ** (np.floor(t * 2) % 7 / 12)
    return (0.2 * np.sin(2 * np.pi * notes * t) + 0.1 * np.sin(3 * np.pi * notes * t)).astype(np.float32)


def build_audio(case: Case, shared: Path, work: Path) -> Path:
    out = work / ("-".join(str(p[1])[:12].replace(" ", "_") for p in case.pieces) + ".wav")
    if out.exists():
        return out
    samples = np.concatenate([_samples(p, shared, work) for p in case.pieces])
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())
    return out


def run_case(case: Case, texts: dict[str, str], shared: Path, work: Path, cache) -> dict:
    from transcheck.options import CheckOptions
    from transcheck.pipeline import check

    audio = build_audio(case, shared, work)
    printed = case.printed(texts)
    official = work / f"{case.name.replace(' ', '_')}.txt"
    official.write_text(printed, encoding="utf-8")
    report = check(str(audio), str(official), CheckOptions(), cache=cache).to_dict()
    alarms = [d for d in report["discrepancies"] if d["severity"] == "substantive"
              and d.get("verdict") != "recognition-error"]
    found = None
    if case.edit:
        a = printed.index(case.edit[1])
        b = a + len(case.edit[1])
        found = any(d["official"]["start"] < b and a < max(d["official"]["end"], d["official"]["start"] + 1)
                    and d["kind"] not in ("moved", "repeated") for d in alarms)
    if case.dropped:
        found = any(d["kind"] == "omission" and len(d["recording"]["text"].split()) >= 10 for d in alarms)
    cov = report["coverage"]
    reasons = [s["reason"] for s in cov["recording"] + cov["official"]]
    shape = None
    if case.shape:
        shape = case.shape in reasons or any(d["kind"] == case.shape for d in report["discrepancies"])
    false_alarms = [d for d in alarms if case.dropped and not d["kind"] == "omission" or not case.dropped and (
        not case.edit or not (
        d["official"]["start"] < printed.index(case.edit[1]) + len(case.edit[1])
        and printed.index(case.edit[1]) < max(d["official"]["end"], d["official"]["start"] + 1)))]
    return {"case": case.name, "alarms": len(alarms), "false": len(false_alarms),
            "confirmed": sum(d.get("verdict") == "confirmed" for d in false_alarms), "edit": found, "shape": shape,
            "reported": ", ".join(reasons + [d["kind"] for d in report["discrepancies"]
                                             if d["kind"] in ("moved", "repeated")]) or "-",
            "faithful": report["summary"]["faithful_share"]}


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--only", default=None, help="run only cases whose name contains this")
    args = parser.parse_args(argv)
    from transcheck.cache import TranscriptCache

    work = args.work or Path(tempfile.mkdtemp(prefix="transcheck-structure-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = TranscriptCache(work / "cache")
    texts = {p.name: (p / "transcript.txt").read_text(encoding="utf-8").strip()
             for p in args.shared.iterdir() if (p / "transcript.txt").exists()}
    def mark(v):
        return "-" if v is None else ("yes" if v else "**no**")

    print("| case | alarms | false alarms (confirmed) | real edit found | shape reported | reported | faithful |")
    print("|---|---|---|---|---|---|---|", flush=True)
    rows = []
    for case in _with_edits(CASES):
        if args.only and args.only not in case.name:
            continue
        r = run_case(case, texts, args.shared, work, cache)
        rows.append(r)
        print(f"| {r['case']} | {r['alarms']} | {r['false']} ({r['confirmed']}) | {mark(r['edit'])} | {mark(r['shape'])} "
              f"| {r['reported']} | {r['faithful']:.1%} |", flush=True)
    bad = sum(r["false"] for r in rows)
    confirmed = sum(r["confirmed"] for r in rows)
    missed = sum(r["edit"] is False for r in rows)
    unshaped = sum(r["shape"] is False for r in rows)
    print(f"\n{len(rows)} cases: {bad} false alarms ({confirmed} confirmed), {missed} real edits missed, "
          f"{unshaped} shapes not reported")


if __name__ == "__main__":
    main()
