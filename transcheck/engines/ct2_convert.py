"""Turn a CTranslate2 Whisper model (model.bin + config.json) into an openai-whisper checkpoint.

The bundled tiny.en is OpenAI's own weights in CTranslate2's file format; openai-whisper wants
its own state dict. Both hold the same tensors: this reads CTranslate2's binary layout (format
version, spec name, revision, then each variable's name, shape, dtype and bytes, then aliases),
renames every tensor, splits the fused attention projections, and derives the model dimensions
from the tensor shapes. Nothing is computed, so the converted model gives the original's outputs.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import ModelError

SPEC = "WhisperSpec"
MAX_BINARY_VERSION = 6
# CTranslate2's DataType enum, in order: id -> torch dtype name.
DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")
FLOAT_DTYPES = {"float32", "float16", "bfloat16"}


def _read(fh: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize(fmt)
    data = fh.read(size)
    if len(data) != size:
        raise EOFError("unexpected end of file")
    return struct.unpack(fmt, data)[0]


def _read_string(fh: BinaryIO) -> str:
    length = _read(fh, "<H")  # includes the trailing NUL
    return fh.read(length)[:-1].decode("utf-8")


def read_ct2_variables(path: Path) -> dict[str, Any]:
    """Every variable of a CTranslate2 Whisper model.bin as a torch tensor, aliases resolved."""
    import torch

    try:
        with open(path, "rb") as fh:
            version = _read(fh, "<I")
            if not 1 <= version <= MAX_BINARY_VERSION:
                raise ModelError(f"{path}: CTranslate2 binary version {version} is not supported "
                                 f"(1 to {MAX_BINARY_VERSION}); reconvert the model with ctranslate2 4.x")
            spec = _read_string(fh) if version >= 2 else ""
            if spec != SPEC:
                raise ModelError(f"{path}: holds a {spec or 'unnamed'} model, not {SPEC}; "
                                 "pass a CTranslate2 Whisper model")
            _read(fh, "<I")  # spec revision: the tensor names below are what matter
            variables: dict[str, Any] = {}
            for _ in range(_read(fh, "<I")):
                name = _read_string(fh)
                shape = [_read(fh, "<I") for _ in range(_read(fh, "<B"))]
                dtype = DTYPES[_read(fh, "<B")]
                nbytes = _read(fh, "<I")
                data = bytearray(fh.read(nbytes))
                if len(data) != nbytes:
                    raise EOFError("unexpected end of file")
                variables[name] = torch.frombuffer(data, dtype=getattr(torch, dtype)).reshape(shape)
            for _ in range(_read(fh, "<I")):
                alias, target = _read_string(fh), _read_string(fh)
                variables[alias] = variables[target]
    except (EOFError, IndexError, KeyError, UnicodeDecodeError, RuntimeError) as exc:
        raise ModelError(f"{path}: not a readable CTranslate2 model file ({exc}); "
                         "the file may be truncated: reinstall or reconvert it") from None
    return variables


def _layer_count(variables: dict[str, Any], prefix: str) -> int:
    found = {int(m.group(1)) for name in variables if (m := re.match(rf"{prefix}/layer_(\d+)/", name))}
    return len(found)


def _split(tensor, parts: int) -> list:
    return list(tensor.chunk(parts, dim=0))


class _Mapper:
    """Moves CTranslate2 tensors into an openai-whisper state dict, tracking what was used."""

    def __init__(self, variables: dict[str, Any], source: Path) -> None:
        self.variables, self.source = variables, source
        self.used: set[str] = set()
        self.state: dict[str, Any] = {}

    def take(self, name: str):
        if name not in self.variables:
            raise ModelError(f"{self.source}: tensor {name} is missing; this is not a complete "
                             "CTranslate2 Whisper model")
        self.used.add(name)
        tensor = self.variables[name]
        if str(tensor.dtype).removeprefix("torch.") not in FLOAT_DTYPES:
            raise ModelError(f"{self.source}: tensor {name} is stored as {tensor.dtype} (quantized); "
                             "convert the model again with --quantization float16 or float32")
        return tensor.clone()

    def norm(self, ct2: str, ours: str) -> None:
        self.state[f"{ours}.weight"] = self.take(f"{ct2}/gamma")
        self.state[f"{ours}.bias"] = self.take(f"{ct2}/beta")

    def linear(self, ct2: str, ours: str) -> None:
        self.state[f"{ours}.weight"] = self.take(f"{ct2}/weight")
        self.state[f"{ours}.bias"] = self.take(f"{ct2}/bias")

    def fused(self, ct2: str, ours: list[str]) -> None:
        """A fused projection [q;]k;v split back into openai-whisper's separate ones (key has no bias)."""
        weights = _split(self.take(f"{ct2}/weight"), len(ours))
        biases = _split(self.take(f"{ct2}/bias"), len(ours))
        for name, weight, bias in zip(ours, weights, biases):
            self.state[f"{name}.weight"] = weight.contiguous()
            if name.endswith(".key"):
                if bias.abs().max().item() > 1e-6:
                    raise ModelError(f"{self.source}: {ct2} has a key bias, which Whisper does not have")
                continue
            self.state[f"{name}.bias"] = bias.contiguous()

    def attention(self, ct2: str, ours: str, cross: bool) -> None:
        if cross:
            self.linear(f"{ct2}/linear_0", f"{ours}.query")
            self.fused(f"{ct2}/linear_1", [f"{ours}.key", f"{ours}.value"])
            self.linear(f"{ct2}/linear_2", f"{ours}.out")
        else:
            self.fused(f"{ct2}/linear_0", [f"{ours}.query", f"{ours}.key", f"{ours}.value"])
            self.linear(f"{ct2}/linear_1", f"{ours}.out")

    def block(self, ct2: str, ours: str, decoder: bool) -> None:
        self.norm(f"{ct2}/self_attention/layer_norm", f"{ours}.attn_ln")
        self.attention(f"{ct2}/self_attention", f"{ours}.attn", cross=False)
        if decoder:
            self.norm(f"{ct2}/attention/layer_norm", f"{ours}.cross_attn_ln")
            self.attention(f"{ct2}/attention", f"{ours}.cross_attn", cross=True)
        self.norm(f"{ct2}/ffn/layer_norm", f"{ours}.mlp_ln")
        self.linear(f"{ct2}/ffn/linear_0", f"{ours}.mlp.0")
        self.linear(f"{ct2}/ffn/linear_1", f"{ours}.mlp.2")


def convert_variables(variables: dict[str, Any], source: Path) -> tuple[dict[str, int], dict[str, Any]]:
    """openai-whisper's (dims, state dict) from CTranslate2's variables; every tensor must be used."""
    m = _Mapper(variables, source)
    enc_layers, dec_layers = _layer_count(variables, "encoder"), _layer_count(variables, "decoder")
    m.linear("encoder/conv1", "encoder.conv1")
    m.linear("encoder/conv2", "encoder.conv2")
    m.state["encoder.positional_embedding"] = m.take("encoder/position_encodings/encodings")
    for i in range(enc_layers):
        m.block(f"encoder/layer_{i}", f"encoder.blocks.{i}", decoder=False)
    m.norm("encoder/layer_norm", "encoder.ln_post")
    m.state["decoder.token_embedding.weight"] = m.take("decoder/embeddings/weight")
    m.state["decoder.positional_embedding"] = m.take("decoder/position_encodings/encodings")
    for i in range(dec_layers):
        m.block(f"decoder/layer_{i}", f"decoder.blocks.{i}", decoder=True)
    m.norm("decoder/layer_norm", "decoder.ln")
    # Whisper ties the output projection to the token embedding; CTranslate2 stores it as an alias.
    projection = variables.get("decoder/projection/weight")
    if projection is None or not projection.equal(variables["decoder/embeddings/weight"]):
        raise ModelError(f"{source}: the output projection is not tied to the token embedding, "
                         "which openai-whisper requires")
    m.used.add("decoder/projection/weight")
    m.used.update(name for name, value in variables.items() if value.dim() == 0)  # scalar settings
    left = sorted(set(variables) - m.used)
    if left:
        raise ModelError(f"{source}: {len(left)} tensors have no openai-whisper counterpart "
                         f"({', '.join(left[:3])}); this is not a standard Whisper model")

    conv1 = m.state["encoder.conv1.weight"]
    audio_pos, text_pos = m.state["encoder.positional_embedding"], m.state["decoder.positional_embedding"]
    dims = {
        "n_mels": conv1.shape[1],
        "n_audio_ctx": audio_pos.shape[0],
        "n_audio_state": audio_pos.shape[1],
        "n_audio_head": int(variables["encoder/num_heads"]),
        "n_audio_layer": enc_layers,
        "n_vocab": m.state["decoder.token_embedding.weight"].shape[0],
        "n_text_ctx": text_pos.shape[0],
        "n_text_state": text_pos.shape[1],
        "n_text_head": int(variables["decoder/num_heads"]),
        "n_text_layer": dec_layers,
    }
    return {k: int(v) for k, v in dims.items()}, m.state


def alignment_heads(model_dir: Path, dims: dict[str, int]) -> list[list[int]]:
    """The (layer, head) pairs whose cross-attention times words, from config.json."""
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    heads = config.get("alignment_heads")
    if not heads:  # CTranslate2's own default: every head of the last half of the layers
        layers = dims["n_text_layer"]
        return [[layer, head] for layer in range(layers // 2, layers) for head in range(dims["n_text_head"])]
    return [[int(layer), int(head)] for layer, head in heads]


def encode_alignment_heads(heads: list[list[int]], dims: dict[str, int]) -> bytes:
    """The heads in the form `Whisper.set_alignment_heads` takes (a gzipped boolean mask, base85)."""
    import base64
    import gzip

    import numpy as np

    mask = np.zeros((dims["n_text_layer"], dims["n_text_head"]), dtype=bool)
    for layer, head in heads:
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes(), mtime=0))


def convert(model_dir: Path) -> dict[str, Any]:
    """An openai-whisper checkpoint (the dict `whisper.load_model` reads) from a CTranslate2 model.

    Besides `dims` and `model_state_dict` it keeps the model's `alignment_heads`, which
    openai-whisper otherwise only knows for its own named downloads.
    """
    variables = read_ct2_variables(model_dir / "model.bin")
    dims, state = convert_variables(variables, model_dir / "model.bin")
    return {"dims": dims, "model_state_dict": state, "alignment_heads": alignment_heads(model_dir, dims)}
