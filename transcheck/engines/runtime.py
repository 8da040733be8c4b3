"""What, besides the weights and the decoding options, decides the words a recogniser hears.

Recorded in the transcript cache key and in the report's provenance, so a transcript made by
another runtime (a library upgrade, another machine's instruction set) is never silently reused.
"""

from __future__ import annotations

import platform
from functools import lru_cache
from importlib import metadata
from typing import Iterable


def package_versions(packages: Iterable[str]) -> dict[str, str]:
    """The installed version of each package ("absent" where it is not installed)."""
    found = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


@lru_cache(maxsize=1)
def cpu_isa() -> str:
    """The widest vector instruction set of this CPU, as CTranslate2 and oneDNN dispatch on it.

    Integer and float kernels differ between AVX-512, AVX2 and plain SSE, and so can the scores
    they give; that is measured per machine, not assumed.
    """
    machine = platform.machine() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            flags = next((line.split(":", 1)[1].split() for line in info if line.startswith("flags")), [])
    except OSError:
        return machine
    for isa in ("avx512f", "avx2", "avx", "sse4_1"):
        if isa in flags:
            return f"{machine} {isa}"
    return machine


def runtime(packages: Iterable[str], **settings: str) -> dict[str, str]:
    """Versions of `packages`, the CPU's instruction set and engine settings such as the compute type."""
    return {**package_versions(packages), "cpu": cpu_isa(), **settings}
