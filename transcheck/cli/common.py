"""What the commands share: the one-line error handling, logging, progress bars and the recognition options."""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path
from typing import Any, Callable

import click

from ..errors import TranscheckError
from ..models import RECOGNITION_ERROR

EXIT_OK, EXIT_FAIL_ON, EXIT_ERROR = 0, 1, 2


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one line on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = kwargs.get("debug", False)
        try:
            return func(*args, **kwargs)
        except TranscheckError as exc:
            if debug:
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing half-written was left behind.", err=True)
            sys.exit(130)
        except MemoryError:
            click.echo("Error: out of memory; process a shorter recording or free memory", err=True)
            sys.exit(EXIT_ERROR)
        except OSError as exc:
            if debug:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}; check the path and permissions", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


def setup_logging(quiet: bool, verbose: int) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    log = logging.getLogger("transcheck")
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


class ProgressBar:
    """One tqdm line per stage ("transcribing", "checking against the audio"), on stderr when it is a
    terminal; absent when quiet."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet or not sys.stderr.isatty()
        self.stage, self.bar = None, None

    def __call__(self, stage: str, done: float, total: float) -> None:
        if self.quiet:
            return
        if stage != self.stage:
            from tqdm import tqdm

            from ..pipeline import STAGE_UNITS

            self.close()
            self.stage = stage
            self.bar = tqdm(total=round(total, 1), desc=stage, file=sys.stderr,
                            bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} "
                                       f"{STAGE_UNITS.get(stage, '')} [{{elapsed}}<{{remaining}}]")
        if round(total, 1) != self.bar.total:
            self.bar.total = round(total, 1)
        self.bar.update(round(done - self.bar.n, 1))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def recognition_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options `check` and `batch` share: how the recording is heard and verified, the cache, logging."""
    options = [
        click.option("--engine", type=click.Choice(["faster-whisper", "openai-whisper"]), default="faster-whisper",
                     show_default=True, help="Speech recogniser."),
        click.option("--model", default=None, help="Model directory or name (default: the bundled offline tiny.en)."),
        click.option("--language", default="en", show_default=True, help="Language spoken in the recording."),
        click.option("--beam-size", default=5, show_default=True, type=click.IntRange(1, 20), help="Beam width."),
        click.option("--vad/--no-vad", default=False, show_default=True, help="Skip non-speech with Silero VAD."),
        click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True,
                     help="Where the recogniser runs (cuda: an NVIDIA GPU)."),
        click.option("--threads", default=0, type=click.IntRange(0, 256),
                     help="CPU threads for the recogniser (0: auto; in a batch, the cores shared among workers)."),
        click.option("--verify/--no-verify", default=True, show_default=True,
                     help="Ask the audio whether each discrepancy is real or a recognition error."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Transcript cache folder (default: ~/.cache/transcheck)."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the transcript cache."),
        click.option("--force", is_flag=True, help="Report even when the two files look like different briefings."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary."),
        click.option("-v", "--verbose", count=True, help="More log messages (-vv for debug)."),
        click.option("--debug", is_flag=True, hidden=True),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def fail_on_option(help_text: str) -> Callable[..., Any]:
    return click.option("--fail-on", type=click.Choice(["never", "substantive", "any"]), default="never",
                        show_default=True, help=help_text)


embed_audio_option = click.option("--embed-audio", is_flag=True, help="Put the recording inside the HTML report.")


def check_options(settings: dict[str, Any], **more: Any):
    """CheckOptions from the shared options (and any command-specific fields in `more`)."""
    from ..options import CheckOptions, DecodeOptions

    return CheckOptions(
        engine=settings["engine"], model=settings["model"], device=settings["device"], threads=settings["threads"],
        decode=DecodeOptions(language=settings["language"], beam_size=settings["beam_size"],
                             vad_filter=settings["vad"]),
        verify=settings["verify"], force=settings["force"], **more,
    )


def _cache(settings: dict[str, Any]):
    from ..cache import TranscriptCache

    return None if settings["no_cache"] else TranscriptCache(settings["cache_dir"])


def _exit_status(discrepancies, fail_on: str) -> int:
    if fail_on == "substantive" and any(d.is_alarm for d in discrepancies):
        return EXIT_FAIL_ON
    if fail_on == "any" and any(d.verdict != RECOGNITION_ERROR for d in discrepancies):
        return EXIT_FAIL_ON
    return EXIT_OK
