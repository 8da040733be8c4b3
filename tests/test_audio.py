"""Audio: every container PyAV reads, multi-channel downmix, clear errors for bad files."""

import numpy as np
import pytest

from helpers import tone, write_audio
from transcheck.audio import SAMPLE_RATE, load_audio
from transcheck.errors import AudioError


@pytest.mark.parametrize("name,codec", [("a.wav", "pcm_s16le"), ("a.flac", "flac"), ("a.mp3", "libmp3lame"),
                                        ("a.ogg", "libopus"), ("a.m4a", "aac")])
def test_containers_decode_to_16k_mono(tmp_path, name, codec):
    rate = 48000 if codec == "libopus" else 44100
    path = write_audio(tmp_path / name, tone(1.0, rate)[None, :], rate, codec)
    audio = load_audio(path)
    assert audio.sample_rate == SAMPLE_RATE and audio.samples.ndim == 1
    assert audio.duration == pytest.approx(1.0, abs=0.1)
    assert np.abs(audio.samples).max() > 0.1
    assert len(audio.sha256) == 64


def test_video_audio_track_is_used(tmp_path):
    path = write_audio(tmp_path / "clip.mp4", tone(1.0)[None, :], 44100, "aac", video=True)
    assert load_audio(path).duration == pytest.approx(1.0, abs=0.15)


def test_speaker_on_one_channel_only_survives_the_downmix(tmp_path):
    left = tone(1.0)
    stereo = np.stack([np.zeros_like(left), left])  # all the sound on the right channel
    audio = load_audio(write_audio(tmp_path / "s.wav", stereo, 44100, "pcm_s16le", layout="stereo"))
    assert audio.channels == 2
    assert np.abs(audio.samples).max() > 0.1


def test_sample_recording_decodes(sample_dir):
    audio = load_audio(sample_dir / "briefing.mp3")
    assert 50 < audio.duration < 60


@pytest.mark.parametrize("content,message", [(b"", "empty"), (b"not audio at all " * 100, "decoded")])
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.mp3"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=message):
        load_audio(path)


def test_video_without_audio_track(tmp_path):
    import av

    path = tmp_path / "silent.mp4"
    with av.open(str(path), "w") as out:
        v = out.add_stream("mpeg4", rate=10)
        v.width, v.height, v.pix_fmt = 64, 48, "yuv420p"
        for _ in range(5):
            for packet in v.encode(av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")):
                out.mux(packet)
        for packet in v.encode():
            out.mux(packet)
    with pytest.raises(AudioError, match="no audio track"):
        load_audio(path)


def test_truncated_file_keeps_what_decodes(tmp_path, sample_dir):
    data = (sample_dir / "briefing.mp3").read_bytes()
    path = tmp_path / "cut.mp3"
    path.write_bytes(data[: len(data) // 2])
    audio = load_audio(path)
    assert 20 < audio.duration < 35


def test_missing_and_directory(tmp_path):
    with pytest.raises(AudioError, match="no such"):
        load_audio(tmp_path / "nope.wav")
    with pytest.raises(AudioError, match="directory"):
        load_audio(tmp_path)


def test_quiet_cuts_fall_in_pauses():
    from transcheck.audio import quiet_cuts

    rate = 1000
    loud = np.ones(rate * 100, np.float32) * 0.5
    loud[rate * 47: rate * 48] = 0.0  # a pause near the first boundary (every 50 s, search 20 s)
    loud[rate * 101 // 1:] = 0.5
    cuts = quiet_cuts(loud, rate, every=50, search=20)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(loud)
    assert all(a < b for a, b in cuts) and all(cuts[k][1] == cuts[k + 1][0] for k in range(len(cuts) - 1))
    assert 47 * rate <= cuts[0][1] <= 48 * rate
    assert quiet_cuts(loud[: rate * 60], rate, every=50) == [(0, rate * 60)]


def test_decoding_a_long_recording_reports_progress(tmp_path):
    """Minutes of audio decode for a while: progress every minute of audio, ending at the whole length."""
    import av
    import numpy as np

    from transcheck.audio import load_audio

    path = tmp_path / "long.flac"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("flac", rate=16000)
        stream.layout = "mono"
        samples = (np.sin(np.arange(16000 * 150) * 0.1) * 3000).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(samples[None], format="s16", layout="mono")
        frame.sample_rate = 16000
        for packet in [*stream.encode(frame), *stream.encode()]:
            out.mux(packet)
    seen = []
    audio = load_audio(path, lambda done, total: seen.append((round(done), round(total))))
    assert [d for d, _ in seen] == [60, 120, 150] and {t for _, t in seen} == {150}
    assert round(audio.duration) == 150
