"""Command line: parse, call the library, print. Errors become one `Error:` line and exit status 2."""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path
from typing import Any, Callable, Optional

import click

from . import __version__
from .errors import TranscheckError

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
    """A tqdm bar over seconds of audio, on stderr when it is a terminal; absent when quiet."""

    def __init__(self, quiet: bool, label: str) -> None:
        self.quiet = quiet or not sys.stderr.isatty()
        self.label, self.bar = label, None

    def __call__(self, done: float, total: float) -> None:
        if self.quiet:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=round(total, 1), unit="s", desc=self.label, file=sys.stderr,
                            bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s audio "
                                       "[{elapsed}<{remaining}]")
        self.bar.update(round(done - self.bar.n, 1))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="transcheck")
def main() -> None:
    """Check what was said at a briefing against its published official transcript.

    \b
    Example:
        transcheck check briefing.mp3 official.txt -o report.html --json report.json
    """


@main.command()
@click.argument("recording", type=click.Path(dir_okay=True, path_type=Path))
@click.argument("official", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", "html_out", type=click.Path(path_type=Path), help="Write the HTML report here.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Write the JSON report here.")
@click.option("--engine", type=click.Choice(["faster-whisper", "openai-whisper"]), default="faster-whisper",
              show_default=True, help="Speech recogniser.")
@click.option("--model", default=None, help="Model directory or name (default: the bundled offline tiny.en).")
@click.option("--language", default="en", show_default=True, help="Language spoken in the recording.")
@click.option("--beam-size", default=5, show_default=True, type=click.IntRange(1, 20), help="Beam width.")
@click.option("--vad/--no-vad", default=False, show_default=True, help="Skip non-speech with Silero VAD.")
@click.option("--official-format", default=None, help="Override the detected transcript format.")
@click.option("--verify/--no-verify", default=True, show_default=True,
              help="Ask the audio whether each discrepancy is real or a recognition error.")
@click.option("--fail-on", type=click.Choice(["never", "substantive", "any"]), default="never",
              show_default=True, help="Exit 1 when such discrepancies exist (recognition errors excluded).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Transcript cache folder (default: ~/.cache/transcheck).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the transcript cache.")
@click.option("--embed-audio", is_flag=True, help="Put the recording inside the HTML report.")
@click.option("--template-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder with your own copies of the report templates.")
@click.option("--title", default=None, help="Briefing title for the report (default: the file name).")
@click.option("--date", default=None, help="Briefing date for the report.")
@click.option("--threads", default=0, type=click.IntRange(0, 256), help="CPU threads for the recogniser (0: auto).")
@click.option("--force", is_flag=True, help="Report even when the two files look like different briefings.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@click.option("-v", "--verbose", count=True, help="More log messages (-vv for debug).")
@click.option("--debug", is_flag=True, hidden=True)
@handle_errors
def check(recording: Path, official: Path, html_out: Optional[Path], json_out: Optional[Path], engine: str,
          model: Optional[str], language: str, beam_size: int, vad: bool, official_format: Optional[str],
          verify: bool, fail_on: str, cache_dir: Optional[Path], no_cache: bool, embed_audio: bool,
          template_dir: Optional[Path], title: Optional[str], date: Optional[str], threads: int,
          force: bool, quiet: bool, verbose: int, debug: bool) -> None:
    """Compare RECORDING with the OFFICIAL transcript and report every discrepancy.

    \b
    Example:
        transcheck check briefing.mp3 official.txt -o report.html --json report.json
        transcheck check briefing.m4a official.md --no-verify --fail-on substantive
    """
    from .cache import TranscriptCache
    from .fsutil import check_output_path
    from .options import CheckOptions, DecodeOptions
    from .pipeline import check as run_check
    from .report import format_summary, write_html, write_json

    setup_logging(quiet, verbose)
    for out in (html_out, json_out):
        if out is not None:
            check_output_path(out, (recording, official))
    options = CheckOptions(
        engine=engine, model=model,
        decode=DecodeOptions(language=language, beam_size=beam_size, vad_filter=vad),
        official_format=official_format, verify=verify, threads=threads, title=title, date=date,
        min_shared=0.0 if force else CheckOptions.min_shared,
    )
    cache = None if no_cache else TranscriptCache(cache_dir)
    bar = ProgressBar(quiet, "transcribing")
    try:
        result = run_check(str(recording), str(official), options, cache=cache, progress=bar)
    finally:
        bar.close()
    report = result.to_dict()
    if json_out:
        write_json(report, json_out)
    if html_out:
        write_html(report, html_out, embed_audio=embed_audio, template_dir_override=template_dir)
    if not quiet:
        click.echo(format_summary(report), err=True)
        for label, out in (("HTML report", html_out), ("JSON report", json_out)):
            if out:
                click.echo(f"{label}: {out}", err=True)
    sys.exit(_exit_status(result.discrepancies, fail_on))


def _exit_status(discrepancies, fail_on: str) -> int:
    if fail_on == "substantive" and any(d.is_alarm for d in discrepancies):
        return EXIT_FAIL_ON
    if fail_on == "any" and any(d.verdict != "recognition-error" for d in discrepancies):
        return EXIT_FAIL_ON
    return EXIT_OK


@main.command()
@click.argument("report_json", type=click.Path(path_type=Path))
@click.option("-o", "--output", "html_out", type=click.Path(path_type=Path), required=True,
              help="Write the HTML report here.")
@click.option("--embed-audio", is_flag=True, help="Put the recording inside the HTML report.")
@click.option("--template-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder with your own copies of the report templates.")
@click.option("--debug", is_flag=True, hidden=True)
@handle_errors
def render(report_json: Path, html_out: Path, embed_audio: bool, template_dir: Optional[Path], debug: bool) -> None:
    """Re-render the HTML report from a JSON report, without transcribing again.

    \b
    Example:
        transcheck render report.json -o report.html --template-dir my-templates/
    """
    from .fsutil import check_output_path
    from .report import load_report, write_html

    check_output_path(html_out, (report_json,))
    write_html(load_report(report_json), html_out, embed_audio=embed_audio, template_dir_override=template_dir)
    click.echo(f"HTML report: {html_out}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
