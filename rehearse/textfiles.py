"""Reading the user's text files defensively and writing ours atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from rehearse.errors import InputFileError

MAX_TEXT_BYTES = 2 * 1024 * 1024  # a spoken call is a few KB; anything this big is the wrong file


def read_text_file(path: Path, *, what: str, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Return the UTF-8 text of `path`, or raise one clear InputFileError naming the problem and the fix."""
    if not path.exists():
        raise InputFileError(f"no such {what} file; check the path", path=path)
    if path.is_dir():
        raise InputFileError(f"is a directory, not a {what} file; name the file inside it", path=path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputFileError(
                f"{size / 1e6:.1f} MB is too large for a {what} (limit {max_bytes // 1024 // 1024} MB); "
                "is this the right file?",
                path=path,
            )
        raw = path.read_bytes()
    except PermissionError:
        raise InputFileError(f"cannot read this {what} file (permission denied)", path=path) from None
    except OSError as exc:
        raise InputFileError(f"cannot read this {what} file ({exc.strerror})", path=path) from None
    if b"\x00" in raw[:8192]:
        raise InputFileError(f"looks binary, not a text {what}; give a UTF-8 text file", path=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"is not UTF-8 text (bad byte at offset {exc.start}); re-save it as UTF-8", path=path
        ) from None


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Parse a TOML file (plan, rubric, word list, scenario); a syntax error becomes one line naming the fix."""
    text = read_text_file(path, what=what)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"not valid TOML ({exc}); fix the line it names", path=path) from None


def atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Let `write` fill a temp file in the same folder, fsync it and rename it over `path`, so readers see the old
    file or the new, never half of one. The one atomic write: text, JSON, archives and WAV clips all come here.

    The file keeps mkstemp's mode, 0600 (answers and reports are private). If anything fails, the temp file is
    removed and the old file is left alone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):  # never hide the real error behind a failed clean-up
            os.unlink(tmp)
        raise
    return path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    return atomic_write(path, lambda fh: fh.write(data))


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))
