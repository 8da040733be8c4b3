"""Weights for the openai-whisper engine: the bundled model converted once, a .pt file, or a model name.

The bundled tiny.en ships in CTranslate2's format; it is converted to an openai-whisper checkpoint
the first time it is needed and kept in the cache folder, keyed by the sha256 of the source
model.bin. The checkpoint's own sha256 is recorded beside it and checked on every reuse, so a
damaged or half-written file is rebuilt rather than loaded.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from .. import __version__
from ..audio import file_sha256
from ..errors import ModelError, OutputError
from ..fsutil import atomic_write
from . import faster_whisper as fw

log = logging.getLogger("transcheck")

# Bump when convert() produces different tensors: conversions made before are then rebuilt.
CONVERTER_REVISION = 1


@dataclass(frozen=True)
class CheckpointRef:
    """What --model names for openai-whisper, and its identity for the transcript cache."""

    model_id: str
    kind: str  # "ct2": a CTranslate2 model to convert; "file": a checkpoint; "name": openai-whisper's own
    path: Optional[Path] = None
    name: Optional[str] = None
    bundled: bool = False


def resolve_checkpoint(spec: Optional[str]) -> CheckpointRef:
    """Turn the --model value into a reference without loading weights."""
    if spec is None or spec in ("", "bundled", "default") or Path(spec).expanduser().is_dir():
        ref = fw.resolve_model(spec)
        return CheckpointRef(ref.model_id, "ct2", path=ref.path, bundled=ref.bundled)
    path = Path(spec).expanduser()
    if path.is_file():
        stat = path.stat()
        return CheckpointRef(f"pt:{path.resolve()}:{stat.st_size}:{int(stat.st_mtime)}", "file", path=path)
    if spec.startswith((".", "/", "~")) or "/" in spec or spec.endswith((".pt", ".bin")):
        raise ModelError(f"{spec}: no such checkpoint file or model directory; check the path")
    import whisper

    if spec not in whisper.available_models():
        raise ModelError(f"unknown model {spec!r}; pass a checkpoint file (.pt), a CTranslate2 model "
                         f"directory, or one of: {', '.join(whisper.available_models())}")
    return CheckpointRef(f"openai:{spec}", "name", path=named_checkpoint_path(spec), name=spec)


def named_checkpoint_path(name: str) -> Path:
    """Where openai-whisper keeps the download of a named model (its own cache, not ours)."""
    import os

    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "whisper"
    return root / _model_url(name).rsplit("/", 1)[-1]


def _model_url(name: str) -> str:
    import whisper

    return getattr(whisper, "_MODELS", {}).get(name, f"/{name}.pt")


def _check_named(ref: CheckpointRef) -> None:
    """A named model is used only from openai-whisper's cache, never downloaded: no network here."""
    if not ref.path.is_file():
        raise ModelError(f"model {ref.name!r} is not in openai-whisper's cache ({ref.path}); download it on "
                         "a connected machine with openai-whisper, or omit --model to use the bundled "
                         "offline tiny.en")
    expected = _model_url(ref.name).rsplit("/", 2)[-2]  # openai-whisper's URLs carry the file's sha256
    if len(expected) == 64 and file_sha256(ref.path) != expected:
        raise ModelError(f"{ref.path}: sha256 does not match openai-whisper's {ref.name!r} model; "
                         "delete the file and download it again")


def models_dir(cache_root: Path) -> Path:
    return cache_root / "models" / "openai-whisper"


def converted_checkpoint(model_dir: Path, source_sha256: str, cache_root: Path) -> tuple[Path, dict[str, Any]]:
    """The converted checkpoint's path (made now if missing or damaged) and its metadata."""
    folder = models_dir(cache_root) / source_sha256[:16]
    target, meta_path = folder / "model.pt", folder / "model.json"
    meta = _valid_meta(target, meta_path, source_sha256)
    if meta is not None:
        return target, meta
    if target.exists():
        log.warning("converted model %s is damaged or out of date; converting again", target)
    from .ct2_convert import convert

    log.info("converting %s to an openai-whisper checkpoint (once)", model_dir)
    data = _serialize(convert(model_dir))
    meta = {"source": str(model_dir / "model.bin"), "source_sha256": source_sha256,
            "sha256": hashlib.sha256(data).hexdigest(), "converter_revision": CONVERTER_REVISION,
            "transcheck_version": __version__}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data)
        atomic_write(meta_path, json.dumps(meta, indent=2))
    except (OSError, OutputError) as exc:
        raise ModelError(f"{folder}: cannot store the converted model ({exc}); set TRANSCHECK_CACHE_DIR "
                         "to a writable folder") from None
    return target, meta


def _valid_meta(target: Path, meta_path: Path, source_sha256: str) -> Optional[dict[str, Any]]:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (not isinstance(meta, dict) or meta.get("source_sha256") != source_sha256
            or meta.get("converter_revision") != CONVERTER_REVISION or not target.is_file()):
        return None
    return meta if file_sha256(target) == meta.get("sha256") else None


def _serialize(checkpoint: dict[str, Any]) -> bytes:
    import torch

    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    return buffer.getvalue()


def checkpoint_path(ref: CheckpointRef, cache_root: Path) -> Path:
    """The .pt file behind a "ct2" or "file" reference, converting the CTranslate2 model if needed."""
    if ref.kind in ("file", "name"):
        return ref.path
    if ref.bundled:
        fw.verify_bundled(ref.path)
        source_sha256 = fw.BUNDLED_SHA256["model.bin"]
    else:
        source_sha256 = file_sha256(ref.path / "model.bin")
    return converted_checkpoint(ref.path, source_sha256, cache_root)[0]


def load_model(ref: CheckpointRef, cache_root: Path):
    """The openai-whisper model on the CPU, every tensor strictly matched, alignment heads set."""
    if ref.kind == "name":
        _check_named(ref)
    path = checkpoint_path(ref, cache_root)
    return build_model(_read_checkpoint(path), path, ref.name)


def _read_checkpoint(path: Path) -> dict[str, Any]:
    import pickle

    import torch

    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except (RuntimeError, OSError, EOFError, ValueError, pickle.UnpicklingError) as exc:
        raise ModelError(f"{path}: not a readable openai-whisper checkpoint "
                         f"({str(exc).splitlines()[0][:120]}); pass a .pt file saved by openai-whisper") from None
    if not isinstance(checkpoint, dict) or not {"dims", "model_state_dict"} <= set(checkpoint):
        raise ModelError(f"{path}: not an openai-whisper checkpoint (it needs 'dims' and "
                         "'model_state_dict'); pass a .pt file saved by openai-whisper")
    return checkpoint


def build_model(checkpoint: dict[str, Any], source: Path, name: Optional[str] = None):
    """A Whisper model from a checkpoint dict; a missing or unexpected tensor is an error."""
    import whisper
    from whisper.model import ModelDimensions, Whisper

    from .ct2_convert import encode_alignment_heads

    try:
        model = Whisper(ModelDimensions(**checkpoint["dims"]))
        model.load_state_dict(checkpoint["model_state_dict"], strict=True)
    except (TypeError, RuntimeError) as exc:
        raise ModelError(f"{source}: the checkpoint does not fit openai-whisper's model "
                         f"({str(exc).splitlines()[0][:160]}); pass a checkpoint saved by openai-whisper") from None
    heads = checkpoint.get("alignment_heads")
    if heads:
        model.set_alignment_heads(encode_alignment_heads(heads, checkpoint["dims"]))
    else:  # openai-whisper's own downloads (e.g. tiny.en.pt) are named after their model
        known = getattr(whisper, "_ALIGNMENT_HEADS", {}).get(name or source.name.removesuffix(".pt"))
        if known:
            model.set_alignment_heads(known)
        else:
            log.info("%s names no alignment heads; word times use the last half of the decoder layers", source)
    return model.eval()
