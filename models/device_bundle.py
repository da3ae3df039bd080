"""Pack what ``gpu_recipe.sh`` reads into a small bundle, for a GPU machine that has neither ``../shared`` nor
PyPI (a lent machine that receives at most a few tens of MB per transfer), and unpack it there.

The bundle is a folder of files, none over ``--part-mb`` (default 55 MB):

- ``data.tar.xz``: the training pool cut to the four fields the recipe reads (same pairs, same order, so every
  config draws the same pairs), the extra pairs, the news articles and the evaluation files;
- ``teacher_base.int8.xz.NNN``: the teacher's start model (all-mpnet-base-v2) with every matrix stored as int8
  with one fp16 scale per row (weight-only quantisation; the 1-D tensors stay fp16), xz-compressed and cut in
  parts. Dequantised, it differs from the original by at most half a step per row (measured: cosine of the
  sentence embeddings > 0.999), and fine-tuning starts from it as from the original.

Usage::

    python -m models.device_bundle pack --out .gpu            # here, beside ../shared and models/work
    python -m models.device_bundle unpack --bundle .gpu       # there: ../shared/data and models/work/...
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import lzma
import shutil
import sys
import tarfile
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

WORK = Path("models/work")
BASE = WORK / "all-mpnet-base-v2"
SHARED = Path("../shared/data")
EVAL_FILES = ("snli_test.jsonl", "mnli_dev.jsonl", "anli_dev.jsonl", "lingnli_val.jsonl", "sick_test.jsonl",
              "rte_dev.jsonl", "conjnli_dev.jsonl", "snli_dev.jsonl", "control_dev.jsonl")
POOL_FIELDS = ("premise", "hypothesis", "label", "source")


def quantize(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Every 2-D float tensor as int8 plus a per-row fp16 scale (``NAME.scale``); the rest as fp16."""
    out: dict[str, torch.Tensor] = {}
    for name, tensor in tensors.items():
        tensor = tensor.float()
        if tensor.dim() == 2:
            scale = tensor.abs().amax(dim=1, keepdim=True).clamp(min=1e-8) / 127.0
            out[name] = torch.round(tensor / scale).clamp(-127, 127).to(torch.int8)
            out[name + ".scale"] = scale.half()
        else:
            out[name] = tensor.half()
    return out


def dequantize(packed: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Inverse of ``quantize``, in fp32."""
    out: dict[str, torch.Tensor] = {}
    for name, tensor in packed.items():
        if name.endswith(".scale"):
            continue
        scale = packed.get(name + ".scale")
        out[name] = tensor.float() * scale.float() if scale is not None else tensor.float()
    return out


def slim_pool(path: Path) -> bytes:
    """The pool file with only the fields the recipe reads, in the same order, as JSON lines."""
    lines = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            lines.append(json.dumps({k: row[k] for k in POOL_FIELDS}, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode()


def write_parts(data: bytes, stem: Path, part_bytes: int) -> list[Path]:
    paths = []
    for i, start in enumerate(range(0, len(data), part_bytes)):
        path = stem.with_name(f"{stem.name}.{i:03d}")
        path.write_bytes(data[start : start + part_bytes])
        paths.append(path)
    return paths


def pack(out: Path, part_mb: int, only: str = "") -> None:
    out.mkdir(parents=True, exist_ok=True)
    if only != "base":
        pack_data(out)
    if only != "data":
        pack_base(out, part_mb)
    for path in sorted(out.iterdir()):
        print(f"{path}  {path.stat().st_size / 1e6:.1f} MB")


def pack_data(out: Path) -> None:
    """``data.tar.xz``: the shared files the recipe reads and the made pairs in ``models/work``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        # The recipe reads train.jsonl.gz; gzip at level 1 on the far side, xz here, keeps the transfer small.
        add("nli/train.jsonl", slim_pool(SHARED / "nli/train.jsonl.gz"))
        add("nli/extra_train.jsonl.gz", (SHARED / "nli/extra_train.jsonl.gz").read_bytes())
        add("docs/frank.jsonl.gz", (SHARED / "docs/frank.jsonl.gz").read_bytes())
        for name in EVAL_FILES:
            add(f"nli/eval/{name}", (SHARED / "nli/eval" / name).read_bytes())
        for path in sorted(WORK.glob("*.jsonl*")):
            add(f"work/{path.name}", path.read_bytes())
    (out / "data.tar.xz").write_bytes(lzma.compress(buffer.getvalue(), preset=9))


def pack_base(out: Path, part_mb: int) -> None:
    """``teacher_base.int8.xz.NNN`` and ``teacher_base_files.json``: the teacher's start model, int8."""
    packed = quantize(load_file(str(BASE / "model.safetensors")))
    raw = io.BytesIO()
    torch.save(packed, raw)
    write_parts(lzma.compress(raw.getvalue(), preset=6), out / "teacher_base.int8.xz", part_mb * 1_000_000)
    side = {p.relative_to(BASE).as_posix(): p.read_text(encoding="utf-8")
            for p in BASE.rglob("*") if p.is_file() and p.name != "model.safetensors"}
    (out / "teacher_base_files.json").write_text(json.dumps(side), encoding="utf-8")


def unpack(bundle: Path, shared: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(lzma.decompress((bundle / "data.tar.xz").read_bytes()))) as tar:
        tar.extractall(shared, filter="data")
    WORK.mkdir(parents=True, exist_ok=True)
    for path in sorted((shared / "work").glob("*")):
        shutil.move(path, WORK / path.name)
    pool = shared / "nli/train.jsonl"
    with pool.open("rb") as src, gzip.open(shared / "nli/train.jsonl.gz", "wb", compresslevel=1) as dst:
        shutil.copyfileobj(src, dst)
    pool.unlink()
    parts = sorted(bundle.glob("teacher_base.int8.xz.*"))
    packed = torch.load(io.BytesIO(lzma.decompress(b"".join(p.read_bytes() for p in parts))))
    BASE.mkdir(parents=True, exist_ok=True)
    for name, text in json.loads((bundle / "teacher_base_files.json").read_text(encoding="utf-8")).items():
        (BASE / name).parent.mkdir(parents=True, exist_ok=True)
        (BASE / name).write_text(text, encoding="utf-8")
    save_file({k: v.contiguous() for k, v in dequantize(packed).items()}, str(BASE / "model.safetensors"))
    print(f"unpacked {shared} and {BASE}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pack")
    p.add_argument("--out", type=Path, default=Path(".gpu"))
    p.add_argument("--part-mb", type=int, default=55)
    p.add_argument("--only", choices=("base", "data"), default="", help="pack only the model or only the data")
    u = sub.add_parser("unpack")
    u.add_argument("--bundle", type=Path, default=Path(".gpu"))
    u.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args(argv)
    if args.command == "pack":
        pack(args.out, args.part_mb, args.only)
    else:
        unpack(args.bundle, args.shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
