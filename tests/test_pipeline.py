"""The composition itself: settings reach the stages as the report records them."""

import pytest

from transcheck.engines import load_engine
from transcheck.options import CheckOptions, DecodeOptions
from transcheck.pipeline import check


@pytest.mark.parametrize("asked", [CheckOptions(decode=DecodeOptions(beam_size=1)), CheckOptions(model="base.en"),
                                   CheckOptions(engine="openai-whisper")])
def test_an_engine_built_with_other_settings_is_refused_rather_than_misreported(sample_dir, asked):
    engine = load_engine(CheckOptions())  # no weights are loaded until the first transcription
    with pytest.raises(ValueError, match="build it with load_engine"):
        check(str(sample_dir / "briefing.mp3"), str(sample_dir / "official.txt"), asked, engine=engine)


def test_the_engine_is_handed_only_its_own_settings():
    options = CheckOptions(decode=DecodeOptions(beam_size=2), threads=3, title="A briefing", verify=False)
    engine = load_engine(options)
    assert engine.options == options.engine_options
    assert (engine.options.decode.beam_size, engine.options.threads) == (2, 3)
    assert not hasattr(engine.options, "title") and not hasattr(engine.options, "verify")
