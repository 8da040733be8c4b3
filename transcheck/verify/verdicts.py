"""The verdict rules: from the scores of both wordings in a window, is the edit real?

For every candidate, the window of audio around it is scored twice by the recogniser itself,
teacher-forced: once with the words as heard, once with the official words in their place,
the same context either side. If the audio supports the official wording about as well as the
heard one, the recogniser misheard; if it clearly supports only the heard wording, the edit is
confirmed. Omissions and insertions are the same test with one side empty: does the audio
leave room for the printed words, and is there speech that the official text has no words for?
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Mapping, Optional, Sequence, Union

from ..audio import Audio
from ..engines import Engine, ScoreRequest
from ..models import INSERTION, MARKED_CLEAR, Discrepancy, Token
from .evidence import timing_evidence
from .followed import MIN_CHECKED, doubt, still_needed
from .names import differing_likeness, differing_probability, name_evidence
from .plans import WINDOW, Plan, build_requests
from .prompted import ask, worth_asking
from .rules import RULES, Facts, Rule, rule_for, sentence
from .vad import SpeechMap, SpeechOnDemand, silence_evidence

# Mean log-probability per token of the heard words in their window below which the recogniser is
# taken not to follow the audio (an insertion's window holds only the context words)...
POOR_FIT = -2.0
POOR_FIT_INSERTION = -3.0
# ...unless the audio lifts the heard words this far above their score on silence (nats per token):
# rare words ("thine", names) score low as text but are plainly supported by what was said. On
# the Apollo radio, where tiny.en cannot follow, none reaches 4.6; on clear speech most pass 5.
FOLLOWS_LIFT = 5.0
# An insertion whose printed words need far more time than the audio leaves is confirmed unless the
# audio clearly favours the printed words (nats per word).
NO_ROOM_MARGIN_PER_WORD = 1.0
# Printed words needing less time than this are within the error of Whisper's word times (a few tenths
# of a second): that their neighbours' times leave no gap ("We have found the, burned out" heard for
# "the van, burned out") is weak evidence, so the audio must also lean against them by this much (nats;
# twice what puts a wording down to the recogniser). Every "not" a publisher added so far did (-2.1
# to -7.5); "van" got -1.0.
SHORT_INSERTION_SECONDS = 0.8
SHORT_NO_ROOM_MARGIN = -2.0


@dataclass(frozen=True)
class Scene:
    """What every judgement in one recording shares: its audio, the recogniser, the speaker's pace,
    the names the official text contains and where somebody speaks."""

    audio: Audio
    engine: Engine
    pace: float
    typical: float
    names: frozenset[str] = frozenset()
    speech: Union[SpeechMap, SpeechOnDemand, None] = None
    second_hearing: bool = False  # judging what a second hearing found
    followed: bool = True  # the recogniser follows the recording as a whole (followed.py)
    # heard words inside substantive discrepancies, each to its discrepancy (differing_words)
    differing: Mapping[int, Discrepancy] = field(default_factory=dict)


def differing_words(discrepancies: Sequence[Discrepancy]) -> dict[int, Discrepancy]:
    """The heard words (indices) that lie inside the given discrepancies, not heard as printed, each
    to the discrepancy it lies in."""
    return {i: d for d in discrepancies for i in range(*d.rec_tokens)}


def facts_from(margin: float, words: int, suspect: bool = False, fit: float = 0.0, kind: str = "rewording",
               timing: Optional[dict] = None, lift: Optional[float] = None, **more) -> Facts:
    """The facts the verdict table tests, from the margin of the official over the heard wording
    (nats), the window's fit and the timing evidence.

    `fit` is the mean log-probability per token of the heard words in their own window, `lift` how
    far the audio raises them above their score on silence: where the recogniser cannot follow the
    audio (noise, overlapping speakers), what it heard is no evidence against the official text.
    """
    follows = fit >= (POOR_FIT_INSERTION if kind == INSERTION else POOR_FIT) or (
        lift is not None and lift >= FOLLOWS_LIFT)
    timing = timing or {}
    room, needed = timing.get("room_seconds"), timing.get("needed_seconds")
    no_room = bool(room is not None and needed and room < 0.3 * needed
                   and margin / max(1, words) < NO_ROOM_MARGIN_PER_WORD
                   and (needed >= SHORT_INSERTION_SECONDS or margin <= SHORT_NO_ROOM_MARGIN))
    loudness = timing.get("relative_loudness")
    quiet = loudness is not None and loudness < 0.1
    spare = timing.get("words_to_spare_beside")  # heard words a garbled neighbour holds beyond its own
    return Facts(kind, margin, words, follows, suspect, no_room, quiet,
                 nobody_speaks=bool(timing.get("nobody_speaks")),
                 beside_garble=bool(spare is not None and spare >= words) or bool(timing.get("beside_garble_heard_again")),
                 **more)


def decide(margin: float, words: int, suspect: bool = False, fit: float = 0.0, kind: str = "rewording",
           timing: Optional[dict] = None, lift: Optional[float] = None, **more) -> tuple[str, str]:
    """(verdict, basis) from the scores, by the verdict table."""
    rule = rule_for(facts_from(margin, words, suspect, fit, kind, timing, lift, **more))
    return rule.verdict, rule.basis


def broken_word(heard: str) -> bool:
    """Does what was heard hold a broken word: a piece the recogniser could not make a word of
    ("-barreest", "E -Mokonk")? (A trailing hyphen is the speaker's false start, not this.)"""
    return any(len(w) > 1 and w.startswith("-") for w in heard.split())


def _heard_probability(d: Discrepancy, printed: str) -> Optional[float]:
    """How sure the recogniser was of what it heard: the mean probability of the heard words that
    differ from the printed ones (all of them in an omission), else of every word heard."""
    heard = [(w["text"], w["probability"]) for w in d.evidence.get("recording_words", ())
             if w.get("probability") is not None]
    found = differing_probability(printed, heard) if heard else None
    return round(found, 4) if found is not None else d.evidence.get("mean_probability")


def _timing(d: Discrepancy, rec: Sequence[Token], scene: Scene) -> dict:
    """Pace and loudness around a discrepancy; for an insertion, whether anybody speaks in its gap."""
    timing = timing_evidence(d, rec, scene.audio, scene.pace, scene.typical, scene.differing)
    if d.kind == INSERTION:
        timing.update(silence_evidence(scene.speech, *timing.pop("gap")))
        if scene.second_hearing and "words_to_spare_beside" in timing:
            # a second hearing of a garbled passage is often garbled too, and aligned to the printed
            # words it may put an insertion between words that belong elsewhere ("Scottish National
            # Party" heard once, matched to its second mention): beside its own garble, it has no room
            # to measure
            timing["beside_garble_heard_again"] = True
    return timing


Progress = Optional[Callable[[float, float], None]]  # (passages done, passages in all)
SCORE_CHUNK = 8  # windows scored per engine call, so progress can be shown between calls


def score_windows(scene: Scene, requests: list[ScoreRequest], progress: Progress) -> tuple[list, list]:
    """Each request's scores and its prior (the same texts on silence), a few windows per engine call."""
    results: list = []
    priors: list = []
    for a in range(0, len(requests), SCORE_CHUNK):
        chunk = requests[a:a + SCORE_CHUNK]
        scored = scene.engine.score(scene.audio, chunk + [replace(r, blank=True) for r in chunk])
        results += scored[:len(chunk)]
        priors += scored[len(chunk):]
        if progress:
            progress(a + len(chunk), len(requests))
    return results, priors


def judge(plans: list[Plan], rec: Sequence[Token], off: Sequence[Token], scene: Scene,
          facts_out: Optional[dict[str, Facts]] = None, progress: Progress = None,
          tell: bool = True) -> dict[str, tuple[str, dict]]:
    """Score each plan's window (both wordings and their priors, in one batch) and decide its verdict;
    the facts behind each verdict go to `facts_out` where given. With `tell`, the alarms worth it
    are then decoded again told the printed words (`tell_printed`); without, the caller does that
    where it still matters."""
    facts_out = {} if facts_out is None else facts_out
    requests, too_long = build_requests(plans, rec, scene.audio.duration)
    passages = (lambda done, _: progress(done + len(too_long), len(plans))) if progress else None
    results, priors = score_windows(scene, requests, passages)
    verdicts: dict[str, tuple[str, dict]] = {}
    for plan in plans:
        if plan in too_long:
            continue
        result, prior = results[plan.window], priors[plan.window]
        # the better-supported form of each wording, each taken against its own prior; numbers are
        # compared in one form ("3800" against "4800", not "3 800" against "four thousand...")
        h = max((1, 2) if plan.number else (0, 1), key=lambda k: result.total(k) - prior.total(k))
        o = max((4, 5) if plan.number else (3, 4), key=lambda k: result.total(k) - prior.total(k))
        heard, official_lp = result.total(h), result.total(o)
        prior_margin = prior.total(o) - prior.total(h)
        margin = (official_lp - heard) - prior_margin
        fit = result.mean(h)
        heard_lift = (heard - prior.total(h)) / max(1, len(result.token_logprobs[h]))
        official_lift = (official_lp - prior.total(o)) / max(1, len(result.token_logprobs[o]))
        words = max(len(plan.official_words.split()), len(plan.disc.rec_text.split()), 1)
        d = plan.disc
        timing = _timing(d, rec, scene)
        names = name_evidence(plan.official_words, d.rec_text, scene.names) if d.kind == "rewording" else None
        suspect = bool(d.evidence.get("likely_recognition_error"))
        more = {"name_alike": bool(names and names["alike"]),
                "only_names_differ": bool(names and names["only_names_differ"]),
                "fragment": broken_word(d.rec_text), "probability": _heard_probability(d, plan.official_words),
                "likeness": differing_likeness(plan.official_words, d.rec_text) if d.kind == "rewording" else 0.0,
                "recording_followed": scene.followed, "marked_clear": d.reason == MARKED_CLEAR}
        facts = facts_from(margin, words, suspect, fit, d.kind, timing, heard_lift, **more)
        rule = rule_for(facts)
        facts_out[d.id] = facts
        extra = {"name": names} if names else {}
        verdicts[d.id] = (rule.verdict, {**basis(rule, d), **timing, **extra,
            "window": [round(requests[plan.window].start, 2), round(requests[plan.window].end, 2)],
            "heard_fit": round(fit, 3),
            "heard_logprob": round(heard, 3),
            "official_logprob": round(official_lp, 3),
            "prior_margin": round(prior_margin, 3),
            "heard_lift": round(heard_lift, 3),
            "official_lift": round(official_lift, 3),
            "margin": round(margin, 3),
            "heard_probability": facts.probability,
            **({"differing_words_sound_alike": round(facts.likeness, 3)} if d.kind == "rewording" else {}),
            "margin_per_word": round(margin / words, 3),
            "heard_tokens": len(result.token_logprobs[h]),
            "official_tokens": len(result.token_logprobs[o]),
            "heard_form": "as heard" if h == 0 else "normalised",
            "official_form": "printed" if o == 3 else "normalised",
        })
    for plan in too_long:  # judged by how sure the recogniser was of what it heard
        facts = Facts(plan.disc.kind, too_long=True, probability=plan.disc.evidence.get("mean_probability"),
                      recording_followed=scene.followed)
        facts_out[plan.disc.id] = facts
        rule = rule_for(facts)
        verdicts[plan.disc.id] = (rule.verdict, {**basis(rule, plan.disc),
                                                 "note": f"longer than {WINDOW:.0f} s, so the audio was not scored; "
                                                         "judged by word probability only"})
    if tell:
        tell_printed(plans, verdicts, facts_out, off, scene)
    return verdicts


def judge_first(plans: list[Plan], rec: Sequence[Token], off: Sequence[Token], scene: Scene,
                facts_out: dict[str, Facts], progress: Progress = None) -> dict[str, tuple[str, dict]]:
    """The first verdicts of a recording's passages (`judge` without telling the printed words),
    scored the most doubtful first and only until the recording is known not to be followed
    (followed.py): the rest then take row 1's verdict unscored, except insertions, which voice-activity
    detection may still confirm and which are scored."""
    if len(plans) < MIN_CHECKED:
        return judge(plans, rec, off, scene, facts_out, progress, tell=False)
    order = sorted(plans, key=lambda plan: doubt(plan.disc))
    verdicts: dict[str, tuple[str, dict]] = {}
    done = 0
    while done < len(order) and (step := still_needed(verdicts, len(plans))):
        chunk = order[done:done + step]
        shown = (lambda n, _, at=done: progress(at + n, len(plans))) if progress else None
        verdicts.update(judge(chunk, rec, off, scene, facts_out, shown, tell=False))
        done += len(chunk)
    rest = order[done:]
    # an insertion over a pause without speech is confirmed even so (row 5): it needs its scores
    silent = [plan for plan in rest
              if plan.disc.kind == INSERTION and _timing(plan.disc, rec, scene).get("nobody_speaks")]
    if silent:
        verdicts.update(judge(silent, rec, off, replace(scene, followed=False), facts_out, tell=False))
    for plan in rest:
        d = plan.disc
        if plan not in silent:
            facts_out[d.id] = facts = Facts(d.kind, probability=d.evidence.get("mean_probability"),
                                            recording_followed=False)
            rule = rule_for(facts)
            verdicts[d.id] = (rule.verdict, {**basis(rule, d), "note": (
                f"not scored: the {done} of the {len(plans)} passages scored first showed that the "
                "recogniser cannot follow this recording")})
    if progress and rest:
        progress(len(plans), len(plans))
    return verdicts


def tell_printed(plans: list[Plan], verdicts: dict[str, tuple[str, dict]], facts: dict[str, Facts],
                 off: Sequence[Token], scene: Scene) -> None:
    """Decode again, told the printed words, each alarm on a name or a sound-alike that the scores
    alone would raise, and each other alarm on a rewording where no number differs (prompted.py),
    and decide it again with what the recogniser then hears."""
    for plan in plans:
        d = plan.disc
        verdict, evidence = verdicts[d.id]
        f = facts.get(d.id)
        rule = RULES[evidence["rule"] - 1] if f is not None else None
        if rule is None or "window" not in evidence or not worth_asking(rule, f, evidence.get("name"), plan.number,
                                                                        scene.second_hearing):
            continue
        asked = ask(scene.engine, scene.audio, ScoreRequest(plan.start, plan.end, ()), plan, off)
        if asked is None:
            continue
        facts[d.id] = f = replace(f, hears_printed=asked["hears_printed"])
        rule = rule_for(f)
        verdicts[d.id] = (rule.verdict, {**evidence, **basis(rule, d), "told_the_printed_words": asked})


def redecide(d: Discrepancy, facts: Facts, verdict: str, evidence: dict, **changed) -> tuple[str, dict]:
    """A verdict decided again on changed facts; the first decision is kept as `first` where it differs."""
    rule = rule_for(replace(facts, **changed))
    if rule.basis == evidence.get("basis") and rule.verdict == verdict:
        return verdict, evidence
    first = {k: evidence[k] for k in ("basis", "rule", "sentence") if k in evidence}
    return rule.verdict, {**evidence, **basis(rule, d), "first": {"verdict": verdict, **first}}


def basis(rule: Rule, d: Discrepancy) -> dict:
    """What decided a verdict: the rule's basis, its row in the table and its sentence."""
    return {"basis": rule.basis, "rule": RULES.index(rule) + 1,
            "sentence": sentence(rule, d.rec_text, d.off_text, d.rec_start, d.kind)}
