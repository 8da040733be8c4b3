"""Transcript cache: keyed by content and settings; damaged entries are misses."""

from transcheck.cache import TranscriptCache, cache_key
from transcheck.models import Transcript, Word


def transcript():
    return Transcript((Word("hello", 0.0, 0.5, 0.9),), 1.0, "en", "faster-whisper", "m", {"beam_size": 5})


RUNTIME = {"ctranslate2": "4.8.5", "faster-whisper": "1.2.1", "av": "18.1.0", "numpy": "2.4.6",
           "cpu": "x86_64 avx2", "device": "cpu", "compute_type": "int8"}


def test_key_changes_with_every_input():
    base = cache_key("a" * 64, "faster-whisper", "m", {"beam_size": 5}, RUNTIME)
    assert base == cache_key("a" * 64, "faster-whisper", "m", {"beam_size": 5}, dict(RUNTIME))
    assert base != cache_key("b" * 64, "faster-whisper", "m", {"beam_size": 5}, RUNTIME)
    assert base != cache_key("a" * 64, "openai-whisper", "m", {"beam_size": 5}, RUNTIME)
    assert base != cache_key("a" * 64, "faster-whisper", "m2", {"beam_size": 5}, RUNTIME)
    assert base != cache_key("a" * 64, "faster-whisper", "m", {"beam_size": 1}, RUNTIME)
    for name, other in (("ctranslate2", "4.8.4"), ("av", "17.1.0"), ("cpu", "x86_64 avx512f"),
                        ("compute_type", "float32")):
        assert base != cache_key("a" * 64, "faster-whisper", "m", {"beam_size": 5}, {**RUNTIME, name: other}), name


def test_a_transcript_made_by_another_runtime_is_not_reused(tmp_path, monkeypatch):
    """An upgrade of the recogniser's libraries makes the pipeline transcribe again, not reuse."""
    import numpy as np

    from transcheck import pipeline
    from transcheck.audio import Audio
    from transcheck.engines import runtime as runtime_module
    from transcheck.engines.faster_whisper import FasterWhisperEngine
    from transcheck.options import CheckOptions

    calls = []

    class Recogniser(FasterWhisperEngine):  # the real engine's key material, without its model
        def transcribe(self, audio, progress=None):
            calls.append(dict(self.runtime))
            return Transcript((Word("hello", 0.0, 0.5, 0.9),), audio.duration, "en", self.name,
                              self.model_id, self.options.decode.to_dict(), self.runtime)

    audio = Audio("a.wav", "a" * 64, np.zeros(16000, np.float32), 16000, 1)
    cache, engine = TranscriptCache(tmp_path), Recogniser(CheckOptions().engine_options)
    first, cached = pipeline.transcribe(audio, engine, cache)
    assert not cached and first.runtime["ctranslate2"] != "absent" and first.runtime["compute_type"] == "int8"
    assert pipeline.transcribe(audio, engine, cache)[1]
    real = runtime_module.package_versions
    monkeypatch.setattr(runtime_module, "package_versions",
                        lambda names: {**real(names), "ctranslate2": "0.0.0-upgraded"})
    again, cached = pipeline.transcribe(audio, engine, cache)
    assert not cached and again.runtime["ctranslate2"] == "0.0.0-upgraded" and len(calls) == 2


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


def test_a_decoding_loop_is_told_from_speech():
    from transcheck.engines.base import looped

    assert looped("So let's see if we can see that" + " we can see that" * 30, 2.4)
    assert not looped("And so, my fellow Americans, ask not what your country can do for you, "
                      "ask what you can do for your country.", 2.4)
    assert not looped("", 2.4)


def test_the_runtime_names_the_matrix_library_ctranslate2_uses(monkeypatch):
    """Intel's MKL on Intel processors, oneDNN on the others, unless CT2_USE_MKL says otherwise: the two
    give different words on the same audio (measured on an AMD machine), so transcripts made with one are
    not reused with the other."""
    from transcheck.engines import runtime as runtime_module

    monkeypatch.delenv("CT2_USE_MKL", raising=False)
    for vendor, gemm in (("GenuineIntel", "MKL"), ("AuthenticAMD", "oneDNN")):
        monkeypatch.setattr(runtime_module, "cpu_vendor", lambda v=vendor: v)
        assert runtime_module.ctranslate2_gemm() == gemm
    monkeypatch.setenv("CT2_USE_MKL", "1")
    assert runtime_module.ctranslate2_gemm() == "MKL"
    monkeypatch.setenv("CT2_USE_MKL", "0")
    assert runtime_module.ctranslate2_gemm() == "oneDNN"
