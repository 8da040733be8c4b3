"""Transcript cache: keyed by content and settings; damaged entries are misses."""

from transcheck.cache import TranscriptCache, cache_key
from transcheck.models import Transcript, Word


def transcript():
    return Transcript((Word("hello", 0.0, 0.5, 0.9),), 1.0, "en", "faster-whisper", "m", {"beam_size": 5})


def test_key_changes_with_every_input():
    base = cache_key("a" * 64, "faster-whisper", "m", {"beam_size": 5})
    assert base == cache_key("a" * 64, "faster-whisper", "m", {"beam_size": 5})
    assert base != cache_key("b" * 64, "faster-whisper", "m", {"beam_size": 5})
    assert base != cache_key("a" * 64, "openai-whisper", "m", {"beam_size": 5})
    assert base != cache_key("a" * 64, "faster-whisper", "m2", {"beam_size": 5})
    assert base != cache_key("a" * 64, "faster-whisper", "m", {"beam_size": 1})


def test_round_trip(tmp_path):
    cache = TranscriptCache(tmp_path)
    cache.put("k" * 64, transcript())
    assert cache.get("k" * 64) == transcript()
    assert cache.get("x" * 64) is None


def test_damaged_entry_is_a_miss(tmp_path, caplog):
    cache = TranscriptCache(tmp_path)
    cache.put("k" * 64, transcript())
    path = next(tmp_path.rglob("*.json"))
    path.write_text(path.read_text()[:40])  # as if killed mid-write by an older, non-atomic writer
    assert cache.get("k" * 64) is None
    assert "damaged" in caplog.text
    cache.put("k" * 64, transcript())
    assert cache.get("k" * 64) == transcript()


def test_no_temporary_files_left(tmp_path):
    cache = TranscriptCache(tmp_path)
    cache.put("k" * 64, transcript())
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["k" * 64 + ".json"]


def test_unwritable_cache_only_warns(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    TranscriptCache(blocker / "sub").put("k" * 64, transcript())
    assert "cannot write" in caplog.text
