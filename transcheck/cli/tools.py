"""transcheck render, inspect and evidence: work on a report or a transcript without transcribing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import click

from .common import embed_audio_option, handle_errors


@click.command()
@click.argument("report_json", type=click.Path(path_type=Path))
@click.option("-o", "--output", "html_out", type=click.Path(path_type=Path), required=True,
              help="Write the HTML report here (a name ending .pdf: a PDF, printed by headless Chromium).")
@embed_audio_option
@click.option("--template-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder with your own copies of the report templates.")
@click.option("--debug", is_flag=True, hidden=True)
@handle_errors
def render(report_json: Path, html_out: Path, embed_audio: bool, template_dir: Optional[Path], debug: bool) -> None:
    """Re-render the HTML report from a JSON report, without transcribing again.

    \b
    Example:
        transcheck render report.json -o report.html --template-dir my-templates/
        transcheck render report.json -o report.pdf
    """
    from ..fsutil import check_output_path
    from ..pdf import is_pdf, write_pdf
    from ..report import write_html
    from ..schema import load_report

    check_output_path(html_out, (report_json,))
    report = load_report(report_json)
    if is_pdf(html_out):
        write_pdf(report, html_out, template_dir_override=template_dir)
        click.echo(f"PDF report: {html_out}", err=True)
        return
    write_html(report, html_out, embed_audio=embed_audio, template_dir_override=template_dir)
    click.echo(f"HTML report: {html_out}", err=True)


_STYLES = {"label": {"fg": "cyan", "bold": True}, "mark": {"fg": "yellow"}, "furniture": {"fg": "bright_black"}}


@click.command("inspect")
@click.argument("official", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--format", "official_format", default=None, help="Transcript format (default: detected).")
@click.option("--json", "as_json", is_flag=True, help="Print the full structure as JSON.")
@click.option("--color/--no-color", default=None, help="Colour (default: on a terminal).")
@click.option("--debug", is_flag=True, hidden=True)
@handle_errors
def inspect_command(official: Path, official_format: Optional[str], as_json: bool, color: Optional[bool],
                    debug: bool) -> None:
    """Show what of an official transcript will be compared.

    Speaker labels, editorial marks and page furniture are shown as such (in colour on a terminal;
    otherwise as «LABEL:», [[mark]] and {{kind: furniture}}); everything else is compared.

    \b
    Example:
        transcheck inspect official.pdf | less -R
        transcheck inspect official.md --json > official.json
    """
    import json

    from ..inspect import inspect_dict, plain, render, summary, summary_line
    from ..sources import read_official

    text = read_official(official, official_format)
    if as_json:
        click.echo(json.dumps(inspect_dict(text), ensure_ascii=False, indent=1))
        return
    use_color = sys.stdout.isatty() if color is None else color

    def style(kind: str, piece: str, detail: str) -> str:
        return click.style(piece, **_STYLES[kind]) if use_color and kind in _STYLES else plain(kind, piece, detail)

    click.echo(render(text, style), color=use_color)
    click.echo(f"{official}: {summary_line(summary(text))}", err=True)


@click.command()
@click.argument("report_json", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for the clips, citations and manifest.json (created if needed).")
@click.option("--id", "ids", multiple=True, help="A discrepancy to cut (repeatable; default: every alarm).")
@click.option("--context", default=2.0, show_default=True, type=click.FloatRange(0, 60),
              help="Seconds of audio either side of each passage.")
@click.option("--recording", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Where the recording is now, if it moved since the check (its sha256 must match).")
@click.option("--debug", is_flag=True, hidden=True)
@handle_errors
def evidence(report_json: Path, out_dir: Path, ids: tuple[str, ...], context: float, recording: Optional[Path],
             debug: bool) -> None:
    """Write publishable evidence for each discrepancy: a WAV clip cut from the original recording,
    a citation (ID.json, ID.txt) and manifest.json with the sha256 of the sources and of every clip.

    \b
    Example:
        transcheck evidence report.json -o evidence/
        transcheck evidence report.json -o evidence/ --id d3 --id d9 --context 5
    """
    from ..evidence import EvidenceOptions, write_evidence
    from ..schema import load_report

    options = EvidenceOptions(ids=ids, context=context, recording=str(recording) if recording else None)
    items = write_evidence(load_report(report_json), out_dir, options, report_path=report_json)
    click.echo(f"{len(items)} clip(s) with citations and manifest.json in {out_dir}", err=True)
