"""openai-whisper as a second engine: the converted weights, agreement with faster-whisper, the CLI.

Skipped where openai-whisper or torch is not installed (`pip install -e '.[openai]'`), except the
test of the error a user gets in that case.
"""

import importlib
import json
import shutil
import struct
import sys
import wave

import numpy as np
import pytest

from helpers import assert_error, run
from transcheck.audio import load_audio
from transcheck.cache import TranscriptCache
from transcheck.engines import ScoreRequest
from transcheck.engines.faster_whisper import BUNDLED_SHA256, bundled_model_path
from transcheck.errors import ModelError
from transcheck.normalize import normalize_recording
from transcheck.options import CheckOptions, DecodeOptions, EngineOptions
from transcheck.pipeline import check, transcribe

OPENAI = CheckOptions(engine="openai-whisper")


@pytest.fixture(scope="module")
def model_root(tmp_path_factory):
    """A cache root holding the bundled model converted once for this module."""
    pytest.importorskip("torch")
    pytest.importorskip("whisper")
    return tmp_path_factory.mktemp("transcheck-cache")


@pytest.fixture(scope="module")
def converted(model_root):
    from transcheck.engines.openai_checkpoint import converted_checkpoint

    return converted_checkpoint(bundled_model_path(), BUNDLED_SHA256["model.bin"], model_root)


@pytest.fixture(scope="module")
def openai_engine(model_root):
    from transcheck.engines.openai_whisper import OpenAIWhisperEngine

    return OpenAIWhisperEngine(OPENAI.engine_options, cache_root=model_root)


@pytest.fixture(scope="module")
def clip(tmp_path_factory, sample_dir):
    """The first 9 s of the sample (the question), as a WAV file, and its words."""
    audio = load_audio(sample_dir / "briefing.mp3")
    path = tmp_path_factory.mktemp("clip") / "question.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.sample_rate)
        out.writeframes((np.clip(audio.samples[:9 * audio.sample_rate], -1, 1) * 32767).astype("<i2").tobytes())
    official = path.with_suffix(".txt")
    official.write_text("QUESTION: Thank you. Anna Berg, Nordic Radio. My question is about the allegations "
                        "of sexual exploitation and abuse.", encoding="utf-8")
    return path, official


# --- the conversion -------------------------------------------------------------------------------

def test_conversion_matches_every_tensor_and_the_official_dimensions(converted):
    import whisper

    from transcheck.engines.openai_checkpoint import _read_checkpoint, build_model

    path, meta = converted
    checkpoint = _read_checkpoint(path)
    assert checkpoint["dims"] == {"n_mels": 80, "n_audio_ctx": 1500, "n_audio_state": 384, "n_audio_head": 6,
                                  "n_audio_layer": 4, "n_vocab": 51864, "n_text_ctx": 448, "n_text_state": 384,
                                  "n_text_head": 6, "n_text_layer": 4}
    model = build_model(checkpoint, path)  # strict: a missing or unexpected tensor raises
    assert set(model.state_dict()) == set(checkpoint["model_state_dict"])
    assert "encoder.blocks.0.attn.key.bias" not in checkpoint["model_state_dict"]  # Whisper's key has none
    # the heads from config.json are exactly the ones openai-whisper uses for its own tiny.en
    reference = whisper.model.Whisper(model.dims)
    reference.set_alignment_heads(whisper._ALIGNMENT_HEADS["tiny.en"])
    assert model.alignment_heads.to_dense().equal(reference.alignment_heads.to_dense())
    assert meta["source_sha256"] == BUNDLED_SHA256["model.bin"]


@pytest.mark.model
def test_converted_model_reproduces_ctranslate2_outputs(converted, sample_dir):
    """Same encoder states, logits, greedy tokens and token probabilities as the original (float32)."""
    import ctranslate2
    import torch
    from whisper.audio import N_FRAMES, log_mel_spectrogram, pad_or_trim
    from whisper.tokenizer import get_tokenizer

    from transcheck.engines.openai_checkpoint import _read_checkpoint, build_model

    model = build_model(_read_checkpoint(converted[0]), converted[0])
    original = ctranslate2.models.Whisper(str(bundled_model_path()), device="cpu", compute_type="float32")
    samples = load_audio(sample_dir / "briefing.mp3").samples[:16000 * 30]
    mel = pad_or_trim(log_mel_spectrogram(samples, 80), N_FRAMES)[None]
    features = ctranslate2.StorageView.from_array(np.ascontiguousarray(mel.numpy()))

    encoded = np.array(original.encode(features))
    with torch.no_grad():
        ours = model.encoder(mel)
    assert np.abs(encoded - ours.numpy()).max() < 1e-3

    tokenizer = get_tokenizer(False)
    start = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
    greedy = original.generate(ctranslate2.StorageView.from_array(encoded), [start], beam_size=1,
                               return_logits_vocab=True)[0]
    tokens = greedy.sequences_ids[0]
    assert len(tokens) > 20
    with torch.no_grad():
        logits = model.decoder(torch.tensor([start + tokens]), ours)[0]
    for step, step_logits in enumerate(greedy.logits[0][:len(tokens)]):
        theirs = np.array(step_logits, dtype=np.float32).ravel()
        finite = np.abs(theirs) < 1e30  # CTranslate2 masks the tokens its decoding rules suppress
        assert np.abs(theirs[finite] - logits[len(start) - 1 + step].numpy()[finite]).max() < 1e-3
        assert int(logits[len(start) - 1 + step].argmax()) == tokens[step]

    aligned = original.align(ctranslate2.StorageView.from_array(encoded), list(tokenizer.sot_sequence),
                             [tokens], [N_FRAMES])[0]
    text_logprobs = torch.log_softmax(logits[:, :tokenizer.eot], dim=-1)
    ours_lp = [float(text_logprobs[len(start) - 1 + i, t]) for i, t in enumerate(tokens)]
    assert np.allclose(ours_lp, np.log(aligned.text_token_probs), atol=1e-4)


def test_conversion_is_cached_checked_and_rebuilt_when_damaged(model_root, converted, caplog):
    from transcheck.engines.openai_checkpoint import converted_checkpoint

    path, meta = converted
    before = path.stat().st_mtime_ns
    again, _ = converted_checkpoint(bundled_model_path(), BUNDLED_SHA256["model.bin"], model_root)
    assert again == path and path.stat().st_mtime_ns == before  # reused, not rewritten

    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with caplog.at_level("WARNING", logger="transcheck"):
        rebuilt, meta2 = converted_checkpoint(bundled_model_path(), BUNDLED_SHA256["model.bin"], model_root)
    assert "damaged" in caplog.text
    assert rebuilt == path and meta2["sha256"] == meta["sha256"]
    from transcheck.audio import file_sha256

    assert file_sha256(path) == meta["sha256"]


def test_reader_refuses_truncated_and_foreign_models(tmp_path):
    pytest.importorskip("torch")
    from transcheck.engines.ct2_convert import read_ct2_variables

    truncated = tmp_path / "model.bin"
    with open(bundled_model_path() / "model.bin", "rb") as fh:
        truncated.write_bytes(fh.read(5000))
    with pytest.raises(ModelError, match="truncated"):
        read_ct2_variables(truncated)

    name = b"TransformerSpec"
    foreign = tmp_path / "foreign.bin"
    foreign.write_bytes(struct.pack("<IH", 6, len(name) + 1) + name + b"\0" + struct.pack("<II", 1, 0))
    with pytest.raises(ModelError, match="TransformerSpec model, not WhisperSpec"):
        read_ct2_variables(foreign)


# --- the engine -----------------------------------------------------------------------------------

def words_of(transcript):
    return [t.norm for t in normalize_recording(transcript) if not t.filler]


@pytest.mark.model
@pytest.mark.shared
def test_engines_agree_on_clear_speech(shared_speech, session_cache_dir, engine, openai_engine):
    from rapidfuzz.distance import Levenshtein

    recording = load_audio(shared_speech / "ljspeech_seven_wonders_reading" / "linda_johnson_02.flac")
    cache = TranscriptCache(session_cache_dir)
    reference, _ = transcribe(recording, engine, cache)
    ours, _ = transcribe(recording, openai_engine, cache)
    assert ours.engine == "openai-whisper" and ours.model == reference.model  # the same weights
    a, b = words_of(reference), words_of(ours)
    wer = Levenshtein.distance(a, b) / len(a)
    assert wer < 0.10, f"word error rate between the engines: {wer:.1%}"
    # words both engines heard alike are placed at about the same time
    matched = [(reference.words[i].start, ours.words[j].start)
               for tag, i0, i1, j0, _ in Levenshtein.opcodes(a, b) if tag == "equal"
               for i, j in zip(range(i0, i1), range(j0, j0 + i1 - i0))
               if i < len(reference.words) and j < len(ours.words)]
    assert np.median([abs(x - y) for x, y in matched]) < 0.1


@pytest.mark.model
def test_scores_match_the_ctranslate2_scorer(openai_engine, sample_dir):
    """Verification means the same with either engine: same windows, same context, same numbers."""
    from faster_whisper import WhisperModel

    from transcheck.engines.ct2_scoring import score_windows

    audio = load_audio(sample_dir / "briefing.mp3")
    requests = [ScoreRequest(30.0, 40.0, ("and only disciplinary measures because it's not a judicial system",
                                          "there are disciplinary measures")),
                ScoreRequest(0.0, 9.0, ("Thank you. Anna Berg, Nordic Radio.", "Thank you. [inaudible]", ""))]
    requests += [ScoreRequest(r.start, r.end, r.texts, blank=True) for r in requests]
    original = WhisperModel(str(bundled_model_path()), device="cpu", compute_type="float32", cpu_threads=2)
    theirs = score_windows(original, audio, requests)
    ours = openai_engine.score(audio, requests)
    for mine, other, request in zip(ours, theirs, requests):
        for k in range(len(request.texts)):
            assert len(mine.token_logprobs[k]) == len(other.token_logprobs[k]) > 0
            assert np.allclose(mine.token_logprobs[k], other.token_logprobs[k], atol=1e-3)


@pytest.mark.model
def test_check_with_openai_engine_verifies_the_sample(sample_dir, session_cache_dir, openai_engine, capfd):
    result = check(str(sample_dir / "briefing.mp3"), str(sample_dir / "official.txt"), OPENAI,
                   cache=TranscriptCache(session_cache_dir), engine=openai_engine)
    assert capfd.readouterr() == ("", "")  # no progress callback: openai-whisper draws and prints nothing
    assert result.transcript.engine == "openai-whisper"
    report = result.to_dict()
    assert report["engine"]["name"] == "openai-whisper" and "verify" in report["timings"]
    substantive = [d for d in result.discrepancies if d.severity == "substantive"]
    assert substantive and all(d.verdict and "verification" in d.evidence for d in substantive)
    (names,) = [d for d in substantive if "Those allegations are made clear" in d.off_text]
    (clause,) = [d for d in substantive if "only disciplinary measures" in d.rec_text]
    assert names.verdict == clause.verdict == "confirmed"


@pytest.mark.model
def test_progress_is_reported_in_seconds_and_openai_whisper_left_as_it_was(openai_engine, clip, capfd):
    import tqdm

    audio = load_audio(clip[0])
    seen = []
    transcript = openai_engine.transcribe(audio, seen.append)
    assert seen and seen == sorted(seen) and seen[-1] == pytest.approx(audio.duration, abs=0.05)
    assert importlib.import_module("whisper.transcribe").tqdm is tqdm
    assert capfd.readouterr() == ("", "")  # reported to the callback, not drawn
    assert "allegations" in " ".join(w.text for w in transcript.words)


def test_decoding_options_reach_openai_whisper(model_root, monkeypatch):
    """The options recorded in the cache key are the ones openai-whisper decodes with."""
    import whisper

    from transcheck.audio import Audio
    from transcheck.engines.openai_whisper import OpenAIWhisperEngine

    captured = {}

    def fake_transcribe(model, samples, **kwargs):
        captured.update(kwargs)
        return {"segments": [], "language": "en"}

    monkeypatch.setattr(whisper, "transcribe", fake_transcribe)
    decode = DecodeOptions(beam_size=3, temperatures=(0.0, 0.5), condition_on_previous_text=True)
    engine = OpenAIWhisperEngine(EngineOptions(decode=decode), cache_root=model_root)
    engine._model = object()  # decoding options only: no weights needed
    transcript = engine.transcribe(Audio("x.wav", "0" * 64, np.zeros(16000, np.float32), 16000, 1))
    assert transcript.words == () and transcript.options == decode.to_dict()
    assert captured["beam_size"] == 3 and captured["best_of"] == 5 and captured["temperature"] == (0.0, 0.5)
    assert captured["condition_on_previous_text"] is True and captured["language"] == "en"
    assert captured["word_timestamps"] is True and captured["fp16"] is False and captured["verbose"] is None


# --- the command line -----------------------------------------------------------------------------

@pytest.mark.parametrize("module,package", [("whisper", "openai-whisper"), ("torch", "torch")])
def test_missing_package_is_one_line(monkeypatch, sample_dir, module, package):
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed: find_spec() gives None
    result = run("check", sample_dir / "briefing.mp3", sample_dir / "official.txt", "--engine", "openai-whisper")
    assert_error(result, f"needs the {package} package", "pip install 'transcheck[openai]'")


@pytest.mark.model
def test_cli_with_a_checkpoint_file(tmp_path, converted, clip):
    model = shutil.copy(converted[0], tmp_path / "my-model.pt")
    report = tmp_path / "report.json"
    result = run("check", *clip, "--engine", "openai-whisper", "--model", model, "--json", report,
                 "--cache-dir", tmp_path / "cache", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert data["engine"]["name"] == "openai-whisper"
    assert data["engine"]["model"].startswith(f"pt:{tmp_path.resolve() / 'my-model.pt'}:")
    assert "allegations" in " ".join(w["recording"]["text"] for w in data["words"] if w["recording"])


@pytest.mark.parametrize("args,fragments", [
    (["--model", "tiny.xx"], ["unknown model 'tiny.xx'", "tiny.en"]),
    (["--model", "tiny.en"], ["not in openai-whisper's cache", "omit --model"]),
    (["--model", "missing/model.pt"], ["no such checkpoint file"]),
    (["--vad"], ["--vad is only available with --engine faster-whisper"]),
])
def test_cli_model_errors(tmp_path, monkeypatch, sample_dir, args, fragments):
    pytest.importorskip("whisper")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # openai-whisper's own cache: empty
    result = run("check", sample_dir / "briefing.mp3", sample_dir / "official.txt", "--engine", "openai-whisper",
                 *args, "--cache-dir", tmp_path / "cache")
    assert_error(result, *fragments)


def test_cli_damaged_checkpoint(tmp_path, sample_dir):
    pytest.importorskip("whisper")
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint" * 10)
    result = run("check", sample_dir / "briefing.mp3", sample_dir / "official.txt", "--engine", "openai-whisper",
                 "--model", bad, "--cache-dir", tmp_path / "cache")
    assert_error(result, f"{bad}: not a readable openai-whisper checkpoint")
