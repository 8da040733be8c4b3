"""Shared fixtures: the bundled sample, the shared real recordings, one transcript cache per run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI explores the same examples on every run (a property test must not fail a merge by luck); a
# developer's run explores new ones. HYPOTHESIS_PROFILE=dev in CI, or =ci locally, overrides.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "unmiss-2017"
SHARED_SPEECH = ROOT.parent / "shared" / "speech"


@pytest.fixture(autouse=True)
def _transcheck_logger_as_it_was():
    """The CLI points the "transcheck" logger at its own stderr handler and stops it propagating;
    put it back after each test, so a later test in the same worker still sees its records (caplog)."""
    import logging

    log = logging.getLogger("transcheck")
    state = (log.handlers[:], log.level, log.propagate)
    yield
    log.handlers[:], log.level, log.propagate = state


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_speech() -> Path:
    if not SHARED_SPEECH.is_dir():
        pytest.skip("../shared/speech is not present")
    return SHARED_SPEECH


@pytest.fixture(scope="session")
def session_cache_dir(tmp_path_factory) -> Path:
    """One transcript cache for the whole run, so each recording is transcribed once."""
    return tmp_path_factory.mktemp("transcript-cache")


@pytest.fixture(scope="session")
def engine():
    """The real default engine (bundled tiny.en), loaded once per run."""
    from transcheck.engines import load_engine
    from transcheck.options import CheckOptions

    return load_engine(CheckOptions())


@pytest.fixture
def official(tmp_path, sample_dir) -> Path:
    """A private copy of the sample's official transcript."""
    return Path(shutil.copy(sample_dir / "official.txt", tmp_path / "official.txt"))


@pytest.fixture
def recording(sample_dir) -> Path:
    return sample_dir / "briefing.mp3"


@pytest.fixture(autouse=True)
def _work_in_a_scratch_folder(tmp_path_factory, monkeypatch):
    """Each test runs in an empty folder of its own: `check` without -o writes its reports to the
    current folder, and they must not land in the repository."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
