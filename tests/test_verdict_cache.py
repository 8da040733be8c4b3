"""Verification results cached beside the transcript: reused when nothing that decides them changed."""

import shutil

import pytest

from transcheck.cache import TranscriptCache
from transcheck.pipeline import check
from transcheck.verdict_cache import VerdictCache


def test_damaged_or_foreign_entry_is_a_miss(tmp_path):
    from transcheck.models import Discrepancy

    verified = (Discrepancy(id="d1", kind="rewording", severity="substantive", reason="content words", rec_start=1.0,
                            rec_end=2.0, rec_text="heard", off_start=0, off_end=7, off_text="printed",
                            rec_tokens=(0, 1), off_tokens=(0, 1), verdict="confirmed",
                            evidence={"verification": {"margin": -7.5}}),)
    store = VerdictCache(tmp_path)
    store.put("ab" * 32, verified)
    assert store.get("ab" * 32) == verified
    path = tmp_path / "verdicts" / "ab" / f"{'ab' * 32}.json"
    path.write_text("{not json")
    assert store.get("ab" * 32) is None
    assert store.get("cd" * 32) is None


@pytest.mark.model
def test_unchanged_recheck_reuses_verdicts_and_a_changed_input_does_not(tmp_path, recording, official, engine,
                                                                        session_cache_dir):
    cache = TranscriptCache(tmp_path / "cache")
    shutil.copytree(session_cache_dir, cache.directory, dirs_exist_ok=True)
    shutil.rmtree(cache.directory / "verdicts", ignore_errors=True)  # the transcript, not the verdicts
    first = check(str(recording), str(official), cache=cache, engine=engine)
    again = check(str(recording), str(official), cache=cache, engine=engine)
    assert not first.verdicts_cached and again.verdicts_cached
    assert again.discrepancies == first.discrepancies and any(d.verdict for d in again.discrepancies)
    # another official text: other discrepancies, so the audio is asked again
    edited = tmp_path / "edited.txt"
    edited.write_text(official.read_text().replace("9 allegations", "19 allegations"))
    changed = check(str(recording), str(edited), cache=cache, engine=engine)
    assert changed.cached and not changed.verdicts_cached
