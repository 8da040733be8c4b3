"""The accuracy gate's own rules: which recordings count as followed, and what is a regression."""

from __future__ import annotations

from types import SimpleNamespace

from benchmarks.gate import followed_recordings, regressions
from transcheck.models import NOT_FOLLOWED, NOT_FOLLOWED_RECORDING


def _run(name: str, bases: list[str], faithful: bool = True) -> SimpleNamespace:
    verified = tuple(SimpleNamespace(severity="substantive", evidence={"verification": {"basis": b}}) for b in bases)
    return SimpleNamespace(case=SimpleNamespace(faithful=faithful), recording=SimpleNamespace(name=name),
                           verified=verified)


def test_a_recording_is_followed_unless_transcheck_itself_reports_it_not_followed():
    runs = [
        _run("radio", [NOT_FOLLOWED_RECORDING] * 3 + [NOT_FOLLOWED]),
        # one of two passages not followed: too few checked for the recording-level rule (five), so followed
        _run("two_channel", [NOT_FOLLOWED, "score margin"]),
        _run("clear", []),
        _run("edited_only", [NOT_FOLLOWED_RECORDING], faithful=False),  # only faithful cases decide
    ]
    assert followed_recordings(runs) == ["clear", "two_channel"]


def _figures(fa: float = 0.16, recall: float = 1.0, followed=("a", "b")) -> dict:
    return {"false_alarms_per_minute": fa, "followed_recall": recall, "followed": list(followed)}


def test_regressions_beyond_the_tolerance_fail_the_gate_and_improvements_do_not():
    committed = _figures()
    assert regressions(_figures(fa=0.0), committed) == []
    assert regressions(_figures(fa=0.20), committed) == []  # within one false alarm's worth
    assert regressions(_figures(followed=("a", "b", "c")), committed) == []  # newly followed is no loss
    assert "false alarms a minute" in regressions(_figures(fa=0.3), committed)[0]
    assert "recall" in regressions(_figures(recall=0.95), committed)[0]
    assert regressions(_figures(followed=("a",)), committed) == ["no longer followed: b (committed as followed)"]


def test_each_machine_is_held_to_the_figures_committed_for_it(tmp_path):
    from benchmarks.gate import committed_for, machine, read, write

    intel = {"cpu": "x86_64 avx512f", "ctranslate2": "4.8.5"}  # written before the maker was recorded
    amd = {"cpu": "x86_64 avx2", "cpu_vendor": "AuthenticAMD", "gemm": "oneDNN", "ctranslate2": "4.8.5"}
    path = tmp_path / "figures.json"
    first = {"schema": "transcheck.accuracy-gate/1", "runtime": intel, **_figures(fa=0.16)}
    path.write_text(__import__("json").dumps(first), encoding="utf-8")
    write(path, {"schema": "transcheck.accuracy-gate/1", "runtime": amd, **_figures(fa=0.0)})
    data = read(path)
    assert committed_for(data, amd)["false_alarms_per_minute"] == 0.0
    assert committed_for(data, intel)["false_alarms_per_minute"] == 0.16  # the first figures stay on top
    other = {"cpu": "x86_64 avx512f", "cpu_vendor": "GenuineIntel", "gemm": "MKL"}
    assert committed_for(data, other)["false_alarms_per_minute"] == 0.16  # none for it: the first figures
    assert machine(amd) == "x86_64 avx2, AuthenticAMD, oneDNN" and machine(intel) == "x86_64 avx512f, ?, ?"
