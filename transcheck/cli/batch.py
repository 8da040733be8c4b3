"""transcheck batch: a whole archive, on this machine or a Ray cluster."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Optional

import click

from .common import (EXIT_FAIL_ON, EXIT_OK, check_options, embed_audio_option, fail_on_option, handle_errors,
                     recognition_options, setup_logging)


@click.command()
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
@click.option("--evidence", "with_evidence", is_flag=True,
              help="Also write evidence (clips, citations, manifest.json) for every alarm, in OUT/evidence/ID/.")
@fail_on_option("Exit 1 when any briefing has such discrepancies (recognition errors excluded).")
@embed_audio_option
@click.option("--title", default=None, help="Title of the index page (default: \"Briefings checked\").")
@recognition_options
@handle_errors
def batch(source: Path, out_dir: Path, workers: int, executor: str, address: Optional[str], cpus_per_task: float,
          gpus_per_task: float, root: Optional[Path], with_evidence: bool, fail_on: str, embed_audio: bool,
          title: Optional[str], **settings: Any) -> None:
    """Check every briefing of an archive: SOURCE is a folder or a manifest (.csv / .jsonl).

    In a folder, each recording is paired with the transcript of the same name (2017-12-07-unmiss.m4a
    with 2017-12-07-unmiss.pdf). A manifest has the columns recording, official and optionally id,
    date, title, speaker, with paths relative to the manifest. Run the same command again to finish
    an interrupted batch: completed briefings are not redone. Exit status: 0 all checked, 1 some
    failed (see failures.jsonl) or, with --fail-on, some have such discrepancies, 2 the batch could
    not run.

    \b
    Example:
        transcheck batch archive/ -o reports/ --workers 2
        transcheck batch manifest.csv -o reports/ --executor ray --address auto
        transcheck batch archive/ -o reports/ --evidence
        transcheck batch archive/ -o reports/ --fail-on substantive --title "UNMISS briefings, 2017"
    """
    from ..batch.driver import run_batch
    from ..batch.inputs import load_inputs
    from ..batch.types import WorkSpec

    quiet = settings["quiet"]
    setup_logging(quiet, settings["verbose"])
    inputs = load_inputs(source, root, exclude=(out_dir,))
    spec = WorkSpec(check_options(settings), str(out_dir.absolute()),
                    str(settings["cache_dir"].absolute()) if settings["cache_dir"] else None, not settings["no_cache"],
                    embed_audio=embed_audio)
    if executor == "ray":
        from ..batch.ray import RayExecutor

        if workers != 1:
            logging.getLogger("transcheck").warning("--workers applies to --executor local; Ray runs one "
                                                    "task per briefing (see --cpus-per-task)")
        runner = RayExecutor(address, cpus_per_task, gpus_per_task)
    else:
        from ..batch.local import LocalExecutor

        runner = LocalExecutor(workers)
    bar = BatchBar(quiet)
    try:
        result = run_batch(inputs, spec, runner, progress=bar, title=title)
    finally:
        bar.close()
    evidence_failed: dict[str, str] = {}
    if with_evidence:
        from ..evidence import write_batch_evidence
        evidence_failed = write_batch_evidence(out_dir, (*result.done_before, *result.done_now))
    flagged = result.flagged(fail_on)
    if not quiet:
        click.echo(format_batch(result, out_dir), err=True)
        if with_evidence:
            click.echo(f"Evidence: {out_dir / 'evidence'}", err=True)
        for job_id, error in evidence_failed.items():
            click.echo(f"  no evidence for {job_id}: {error}", err=True)
        if flagged:
            click.echo(f"{len(flagged)} briefing(s) with {fail_on} discrepancies (--fail-on {fail_on}): "
                       + ", ".join(flagged), err=True)
    sys.exit(EXIT_OK if result.ok and not evidence_failed and not flagged else EXIT_FAIL_ON)


class BatchBar:
    """The whole batch on one tqdm bar (audio seconds), with briefings done, hours and rate beside it."""

    def __init__(self, quiet: bool) -> None:
        self.quiet, self.bar = quiet or not sys.stderr.isatty(), None  # no bar in a log file
        self.total = self.done = self.failed = 0

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
            # set, then drawn once with its new description: update() would draw the old one first
            self.bar.n = min(self.bar.total, self.bar.n + audio_seconds)
            self._postfix()

    def finished(self, job, outcome) -> None:
        if self.bar is not None:
            self.done += 1
            self.failed += 0 if outcome.ok else 1
            self._postfix()

    def _postfix(self) -> None:
        elapsed = self.bar.format_dict["elapsed"] or 0.0
        # the counter is the bar's own count, so the two always agree
        rate = self.bar.n / elapsed if elapsed > 1 else 0.0
        failed = f", {self.failed} failed" if self.failed else ""
        self.bar.set_description_str(f"{self.done}/{self.total} briefings{failed}, {_hours(self.bar.n)}/"
                                     f"{_hours(self.bar.total)} audio, {rate:.1f} h audio/h", refresh=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _hours(seconds: float) -> str:
    """Audio time as h:mm:ss."""
    from ..report import clock

    text = clock(seconds)
    return text if text.count(":") == 2 else f"0:{text.zfill(5)}"


def format_batch(result, out_dir: Path) -> str:
    """What a batch run did, for the terminal."""
    from ..report import clock

    rate = result.audio_seconds / result.seconds if result.seconds else 0.0
    lines = [f"{len(result.done_now)} briefing(s) checked ({_hours(result.audio_seconds)} of audio, "
             f"{rate:.1f} h audio/h) "
             f"in {clock(result.seconds)}; {len(result.done_before)} already done; {len(result.failures)} failed"]
    for failure in result.failures:
        lines.append(f"  failed {failure.id or '-'}: {failure.error}")
    if result.not_followed:
        lines.append(f"{len(result.not_followed)} not checked, the recogniser cannot follow the recording "
                     f"(listed last in the index; listen, or check again with a larger model, --model): "
                     + ", ".join(result.not_followed))
    if result.unpaired:
        lines.append(f"{len(result.unpaired)} unpaired file(s) left out (listed in {out_dir / 'unpaired.jsonl'})")
    if result.failures:
        lines.append(f"Failures: {out_dir / 'failures.jsonl'}")
    lines.append(f"Index: {out_dir / 'index.html'}")
    return "\n".join(lines)
