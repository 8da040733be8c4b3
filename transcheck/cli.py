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


def check_options(settings: dict[str, Any], **more: Any):
    """CheckOptions from the shared options (and any command-specific fields in `more`)."""
    from .options import CheckOptions, DecodeOptions

    return CheckOptions(
        engine=settings["engine"], model=settings["model"], device=settings["device"], threads=settings["threads"],
        decode=DecodeOptions(language=settings["language"], beam_size=settings["beam_size"],
                             vad_filter=settings["vad"]),
        verify=settings["verify"], min_shared=0.0 if settings["force"] else CheckOptions.min_shared, **more,
    )


@main.command()
@click.argument("recording", type=click.Path(dir_okay=True, path_type=Path))
@click.argument("official", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", "html_out", type=click.Path(path_type=Path), help="Write the HTML report here.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Write the JSON report here.")
@click.option("--official-format", default=None,
              help="Read the transcript as this format instead of detecting it: text, markdown, pdf, html, "
                   "mhtml, docx, vtt or srt.")
@click.option("--fail-on", type=click.Choice(["never", "substantive", "any"]), default="never",
              show_default=True, help="Exit 1 when such discrepancies exist (recognition errors excluded).")
@click.option("--embed-audio", is_flag=True, help="Put the recording inside the HTML report.")
@click.option("--template-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder with your own copies of the report templates.")
@click.option("--title", default=None, help="Briefing title for the report (default: the file name).")
@click.option("--date", default=None, help="Briefing date for the report.")
@recognition_options
@handle_errors
def check(recording: Path, official: Path, html_out: Optional[Path], json_out: Optional[Path],
          official_format: Optional[str], fail_on: str, embed_audio: bool, template_dir: Optional[Path],
          title: Optional[str], date: Optional[str], **settings: Any) -> None:
    """Compare RECORDING with the OFFICIAL transcript and report every discrepancy.

    \b
    Example:
        transcheck check briefing.mp3 official.txt -o report.html --json report.json
        transcheck check briefing.m4a official.md --no-verify --fail-on substantive
        transcheck check briefing.mp3 briefing.pdf      (also .html, .docx, .vtt, .srt)
    """
    from .fsutil import check_output_path
    from .pipeline import check as run_check
    from .report import format_summary, write_html, write_json

    quiet = settings["quiet"]
    setup_logging(quiet, settings["verbose"])
    for out in (html_out, json_out):
        if out is not None:
            check_output_path(out, (recording, official))
    options = check_options(settings, official_format=official_format, title=title, date=date)
    bar = ProgressBar(quiet, "transcribing")
    try:
        result = run_check(str(recording), str(official), options, cache=_cache(settings), progress=bar)
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


def _cache(settings: dict[str, Any]):
    from .cache import TranscriptCache

    return None if settings["no_cache"] else TranscriptCache(settings["cache_dir"])


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the reports, index.html and summaries (created if needed).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Local worker processes, each loading the model once; the CPU cores are split among them.")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Run on this machine, or as one Ray task per briefing.")
@click.option("--address", default=None,
              help="Ray cluster to join (auto: the one this machine belongs to; default: start Ray here).")
@click.option("--cpus-per-task", default=1.0, show_default=True, type=click.FloatRange(min=0.01),
              help="CPUs Ray reserves for each briefing (also the recogniser's threads).")
@click.option("--gpus-per-task", default=0.0, show_default=True, type=click.FloatRange(min=0.0),
              help="GPUs Ray reserves for each briefing; above 0 the recogniser runs on the GPU.")
@click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Archive root: manifest paths outside it are refused (default: the manifest's folder).")
@recognition_options
@handle_errors
def batch(source: Path, out_dir: Path, workers: int, executor: str, address: Optional[str], cpus_per_task: float,
          gpus_per_task: float, root: Optional[Path], **settings: Any) -> None:
    """Check every briefing of an archive: SOURCE is a folder or a manifest (.csv / .jsonl).

    In a folder, each recording is paired with the transcript of the same name (2017-12-07-unmiss.m4a
    with 2017-12-07-unmiss.pdf). A manifest has the columns recording, official and optionally id,
    date, title, speaker, with paths relative to the manifest. Run the same command again to finish
    an interrupted batch: completed briefings are not redone. Exit status: 0 all checked, 1 some
    failed (see failures.jsonl), 2 the batch could not run.

    \b
    Example:
        transcheck batch archive/ -o reports/ --workers 2
        transcheck batch manifest.csv -o reports/ --executor ray --address auto
    """
    from .batch import WorkSpec, run_batch
    from .batch_inputs import load_inputs

    quiet = settings["quiet"]
    setup_logging(quiet, settings["verbose"])
    inputs = load_inputs(source, root, exclude=(out_dir,))
    spec = WorkSpec(check_options(settings), str(out_dir.absolute()),
                    str(settings["cache_dir"].absolute()) if settings["cache_dir"] else None, not settings["no_cache"])
    if executor == "ray":
        from .batch_ray import RayExecutor

        if workers != 1:
            logging.getLogger("transcheck").warning("--workers applies to --executor local; Ray runs one "
                                                    "task per briefing (see --cpus-per-task)")
        runner = RayExecutor(address, cpus_per_task, gpus_per_task)
    else:
        from .batch_local import LocalExecutor

        runner = LocalExecutor(workers)
    bar = BatchBar(quiet)
    try:
        result = run_batch(inputs, spec, runner, progress=bar)
    finally:
        bar.close()
    if not quiet:
        click.echo(format_batch(result, out_dir), err=True)
    sys.exit(EXIT_OK if result.ok else EXIT_FAIL_ON)


class BatchBar:
    """The whole batch on one tqdm bar (audio seconds), with briefings done, hours and rate beside it."""

    def __init__(self, quiet: bool) -> None:
        self.quiet, self.bar = quiet, None
        self.total = self.done = self.failed = 0
        self.seconds = 0.0

    def start(self, briefings: int, audio_seconds: float, done_before: int) -> None:
        if self.quiet or not briefings:
            return
        from tqdm import tqdm

        self.total = briefings
        self.bar = tqdm(total=audio_seconds or 1.0, file=sys.stderr, unit="s",
                        bar_format="batch: {percentage:3.0f}%|{bar}| {desc} [{elapsed}<{remaining}]")
        self._postfix()

    def advance(self, audio_seconds: float) -> None:
        if self.bar is not None:
            step = min(audio_seconds, self.bar.total - self.bar.n)
            self.seconds += step
            self.bar.update(step)
            self._postfix()

    def finished(self, job, outcome) -> None:
        if self.bar is not None:
            self.done += 1
            self.failed += 0 if outcome.ok else 1
            self._postfix()

    def _postfix(self) -> None:
        elapsed = self.bar.format_dict["elapsed"] or 0.0
        rate = self.seconds / elapsed if elapsed > 1 else 0.0
        failed = f", {self.failed} failed" if self.failed else ""
        self.bar.set_description_str(f"{self.done}/{self.total} briefings{failed}, {_hours(self.seconds)}/"
                                     f"{_hours(self.bar.total)} audio, {rate:.1f} h audio/h", refresh=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _hours(seconds: float) -> str:
    """Audio time as h:mm:ss."""
    from .report import clock

    text = clock(seconds)
    return text if text.count(":") == 2 else f"0:{text.zfill(5)}"


def format_batch(result, out_dir: Path) -> str:
    """What a batch run did, for the terminal."""
    from .report import clock

    rate = result.audio_seconds / result.seconds if result.seconds else 0.0
    lines = [f"{len(result.done_now)} briefing(s) checked ({_hours(result.audio_seconds)} of audio, "
             f"{rate:.1f} h audio/h) "
             f"in {clock(result.seconds)}; {len(result.done_before)} already done; {len(result.failures)} failed"]
    for failure in result.failures:
        lines.append(f"  failed {failure.id or '-'}: {failure.error}")
    if result.unpaired:
        lines.append(f"{len(result.unpaired)} unpaired file(s) left out (listed in {out_dir / 'unpaired.jsonl'})")
    if result.failures:
        lines.append(f"Failures: {out_dir / 'failures.jsonl'}")
    lines.append(f"Index: {out_dir / 'index.html'}")
    return "\n".join(lines)


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


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1/localhost/::1 requires --token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where checks, their files and reviews are kept (default: $XDG_DATA_HOME/transcheck).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes, each loading the model once; the CPU cores are split among them.")
@click.option("--token", default=None, envvar="TRANSCHECK_TOKEN",
              help="Secret every request must carry (Authorization: Bearer, or ?token= once in the browser).")
@click.option("--max-upload", default="4GB", show_default=True, help="Largest upload accepted (e.g. 500MB, 4GB).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Transcript cache folder (default: ~/.cache/transcheck).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the transcript cache.")
@click.option("-v", "--verbose", count=True, help="More log messages (-vv for debug, with each request).")
@click.option("--debug", is_flag=True, hidden=True)
@handle_errors
def serve(host: str, port: int, data_dir: Optional[Path], workers: int, token: Optional[str], max_upload: str,
          cache_dir: Optional[Path], no_cache: bool, verbose: int, debug: bool) -> None:
    """Run the checks from a web page on this machine (needs: pip install 'transcheck[serve]').

    \b
    Example:
        transcheck serve                      then open http://127.0.0.1:8000/
        transcheck serve --workers 2 --data-dir ~/briefing-checks
        transcheck serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"
    """
    from .serve.config import ServeConfig, default_data_dir, parse_size
    from .serve.server import run

    setup_logging(False, verbose)
    config = ServeConfig(host=host, port=port, data_dir=(data_dir or default_data_dir()).absolute(), workers=workers,
                         token=token, max_upload=parse_size(max_upload), cache_dir=cache_dir, use_cache=not no_cache)
    where = config.url + (f"?token={token}" if token else "")
    click.echo(f"transcheck serve: open {where} (checks kept in {config.data_dir}; Ctrl-C stops)", err=True)
    if not config.loopback:
        click.echo(f"Listening on {host}: every request must carry the token.", err=True)
    run(config, log_level="info" if verbose > 1 else "warning")


if __name__ == "__main__":  # pragma: no cover
    main()
