"""The check settings an upload may carry, checked before anything runs, and the CheckOptions they make."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, Optional

from ..errors import InputError
from ..options import CheckOptions, DecodeOptions
from ..sources import READERS

# name: (type, default); the same meaning as the `check` option of the same name
FIELDS: dict[str, tuple[type, Any]] = {
    "official_format": (str, None),
    "language": (str, "en"),
    "beam_size": (int, 5),
    "vad": (bool, False),
    "verify": (bool, True),
    "force": (bool, False),
}


def parse_settings(raw: Optional[str | dict[str, Any]]) -> dict[str, Any]:
    """Settings from a JSON object (the API's `settings` field) or a form's fields; unknown names refused."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError as exc:
            raise InputError(f"settings: not JSON ({exc.msg}); send an object like "
                             '{"verify": false, "language": "en"}') from None
    raw = raw or {}
    if not isinstance(raw, dict):
        raise InputError('settings: must be a JSON object like {"verify": false}')
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise InputError(f"settings: unknown {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    settings = {}
    for name, (kind, default) in FIELDS.items():
        value = raw.get(name, default)
        if value is None or value == "":
            value = default
        elif kind is bool and isinstance(value, str):
            if value.lower() not in ("true", "false", "on", "off", "1", "0"):
                raise InputError(f"settings: {name} must be true or false, not {value!r}")
            value = value.lower() in ("true", "on", "1")
        elif kind is int:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise InputError(f"settings: {name} must be a whole number, not {value!r}") from None
        elif not isinstance(value, kind):
            raise InputError(f"settings: {name} must be a {kind.__name__}, not {value!r}")
        settings[name] = value
    if not 1 <= settings["beam_size"] <= 20:
        raise InputError(f"settings: beam_size must lie between 1 and 20, not {settings['beam_size']}")
    if settings["official_format"] and settings["official_format"] not in READERS:
        raise InputError(f"settings: official_format {settings['official_format']!r} is not one of "
                         f"{', '.join(READERS)}")
    return settings


def check_options(settings: dict[str, Any], title: str, date: Optional[str], threads: int) -> CheckOptions:
    """The CheckOptions `transcheck check` would build from the same settings."""
    base = CheckOptions()
    return replace(base, decode=DecodeOptions(language=settings["language"], beam_size=settings["beam_size"],
                                              vad_filter=settings["vad"]),
                   official_format=settings["official_format"], verify=settings["verify"], threads=threads,
                   min_shared=0.0 if settings["force"] else base.min_shared, title=title, date=date)
