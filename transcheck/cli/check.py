"""transcheck check: one recording against its official transcript."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import click

from .common import (ProgressBar, _cache, _exit_status, check_options, embed_audio_option, fail_on_option,
                     handle_errors, recognition_options, setup_logging)


@click.command()
@click.argument("recording", type=click.Path(dir_okay=True, path_type=Path))
@click.argument("official", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", "html_out", type=click.Path(),
              help="Write the HTML report here (a name ending .pdf: a PDF, printed by headless Chromium); a folder (ending in /) gets both reports, named from the "
                   "recording (default, with neither -o nor --json: RECORDING-report.html and .json in the "
                   "current folder).")
@click.option("--json", "json_out", type=click.Path(allow_dash=True),
              help="Write the JSON report here; - for standard output (default, with neither -o nor --json: "
                   "RECORDING-report.json in the current folder).")
@click.option("--official-format", default=None,
              help="Read the transcript as this format instead of detecting it: text, markdown, pdf, html, "
                   "mhtml, docx, vtt or srt.")
@fail_on_option("Exit 1 when such discrepancies exist (recognition errors excluded).")
@embed_audio_option
@click.option("--template-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder with your own copies of the report templates.")
@click.option("--title", default=None, help="Briefing title for the report (default: the file name).")
@click.option("--date", default=None, help="Briefing date for the report.")
@recognition_options
@handle_errors
def check(recording: Path, official: Path, html_out: Optional[str], json_out: Optional[str],
          official_format: Optional[str], fail_on: str, embed_audio: bool, template_dir: Optional[Path],
          title: Optional[str], date: Optional[str], **settings: Any) -> None:
    """Compare RECORDING with the OFFICIAL transcript and report every discrepancy.

    Without -o or --json, the reports go to RECORDING-report.html and RECORDING-report.json in the
    current folder. Missing output folders are created.

    \b
    Example:
        transcheck check briefing.mp3 official.txt          (briefing-report.html and .json here)
        transcheck check briefing.mp3 official.txt -o report.html --json report.json
        transcheck check briefing.mp3 official.txt --json - -q | jq .summary
        transcheck check briefing.m4a official.md --no-verify --fail-on substantive
        transcheck check briefing.mp3 briefing.pdf      (also .html, .docx, .vtt, .srt)
    """
    from ..outputs import plan_outputs
    from ..pipeline import check as run_check
    from ..report import format_summary, json_text, write_html, write_json

    quiet = settings["quiet"]
    setup_logging(quiet, settings["verbose"])
    outputs = plan_outputs(recording, official, html_out, json_out)
    from ..pdf import is_pdf, require_chromium, write_pdf
    if is_pdf(outputs.html):
        require_chromium(outputs.html)
    options = check_options(settings, official_format=official_format, title=title, date=date)
    bar = ProgressBar(quiet)
    try:
        result = run_check(str(recording), str(official), options, cache=_cache(settings), progress=bar)
    finally:
        bar.close()
    report = result.to_dict()
    if outputs.json:
        write_json(report, outputs.json)
    if is_pdf(outputs.html):
        write_pdf(report, outputs.html, template_dir_override=template_dir)
    elif outputs.html:
        write_html(report, outputs.html, embed_audio=embed_audio, template_dir_override=template_dir)
    if outputs.json_stdout:
        click.echo(json_text(report), nl=False)
    if not quiet:
        click.echo(format_summary(report, more_in=str(outputs.html or outputs.json or "the JSON report")), err=True)
        for label, out in (("PDF report" if is_pdf(outputs.html) else "HTML report", outputs.html),
                           ("JSON report", outputs.json)):
            if out:
                click.echo(f"{label}: {out}", err=True)
    sys.exit(_exit_status(result.discrepancies, fail_on))
