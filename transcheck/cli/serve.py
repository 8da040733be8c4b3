"""transcheck serve: the same checks from a web page on this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from .common import handle_errors, setup_logging


@click.command()
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
    from ..serve.config import ServeConfig, default_data_dir, parse_size
    from ..serve.server import run

    setup_logging(False, verbose)
    config = ServeConfig(host=host, port=port, data_dir=(data_dir or default_data_dir()).absolute(), workers=workers,
                         token=token, max_upload=parse_size(max_upload), cache_dir=cache_dir, use_cache=not no_cache)
    where = config.url + (f"?token={token}" if token else "")
    click.echo(f"transcheck serve: open {where} (checks kept in {config.data_dir}; Ctrl-C stops)", err=True)
    if not config.loopback:
        click.echo(f"Listening on {host}: every request must carry the token.", err=True)
    run(config, log_level="info" if verbose > 1 else "warning")
