"""Run the server with uvicorn until interrupted."""

from __future__ import annotations

from ..errors import TranscheckError
from .config import ServeConfig


def missing_extra() -> str | None:
    """Why `transcheck serve` cannot run here, or None when it can."""
    for module, package in (("starlette", "starlette"), ("uvicorn", "uvicorn"), ("multipart", "python-multipart")):
        try:
            __import__(module)
        except ImportError:
            return f"transcheck serve needs {package}; install the extra: pip install 'transcheck[serve]'"
    return None


def run(config: ServeConfig, log_level: str = "warning") -> None:
    """Serve `config` in this process (workers in child processes) until Ctrl-C or SIGTERM."""
    why = missing_extra()
    if why:
        raise TranscheckError(why)
    import uvicorn

    from .app import create_app

    # the request body limit is ours (--max-upload); uvicorn's own limits would cut uploads off
    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level=log_level,
                access_log=log_level in ("info", "debug"), proxy_headers=False, server_header=False)
