"""What, besides the weights and the decoding options, decides the words a recogniser hears.

Recorded in the transcript cache key and in the report's provenance, so a transcript made by
another runtime (a library upgrade, another machine's instruction set) is never silently reused.
"""

from __future__ import annotations

import os
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


def _cpuinfo(field: str) -> list[str]:
    """The first value of `field` in /proc/cpuinfo, split into words (empty where there is none)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            return next((line.split(":", 1)[1].split() for line in info if line.split(":", 1)[0].strip() == field), [])
    except OSError:
        return []


@lru_cache(maxsize=1)
def cpu_isa() -> str:
    """The widest vector instruction set of this CPU, as CTranslate2 and oneDNN dispatch on it.

    Integer and float kernels differ between AVX-512, AVX2 and plain SSE, and so can the scores
    they give; that is measured per machine, not assumed.
    """
    machine = platform.machine() or "unknown"
    flags = _cpuinfo("flags")
    for isa in ("avx512f", "avx2", "avx", "sse4_1"):
        if isa in flags:
            return f"{machine} {isa}"
    return machine


@lru_cache(maxsize=1)
def cpu_vendor() -> str:
    """"GenuineIntel", "AuthenticAMD"... ("unknown" where the system does not say)."""
    vendor = _cpuinfo("vendor_id")
    return vendor[0] if vendor else "unknown"


def ctranslate2_gemm() -> str:
    """The matrix-multiply library CTranslate2 uses on this CPU: Intel's MKL on Intel processors and
    oneDNN on the others, unless CT2_USE_MKL says otherwise (CTranslate2's own rule). The two
    round differently, so the same model and audio can give different words on an Intel and an
    AMD machine with the same instruction set."""
    forced = os.environ.get("CT2_USE_MKL", "").strip().lower()
    if forced:
        return "MKL" if forced in ("1", "true", "on", "yes") else "oneDNN"
    return "MKL" if cpu_vendor() == "GenuineIntel" else "oneDNN"


def runtime(packages: Iterable[str], **settings: str) -> dict[str, str]:
    """Versions of `packages`, the CPU's instruction set and engine settings such as the compute type."""
    return {**package_versions(packages), "cpu": cpu_isa(), **settings}
