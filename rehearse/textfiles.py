"""Reading the user's text files defensively and writing ours atomically."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from rehearse.errors import InputFileError

MAX_TEXT_BYTES = 2 * 1024 * 1024  # a spoken call is a few KB; anything this big is the wrong file


def read_bounded(path: Path, *, what: str, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path` (symlinks followed), at most `max_bytes` of them.

    Never trusts st_size: a device, a FIFO or /proc file reports 0 or anything. It opens without blocking, checks
    that what was opened is a regular file, and reads at most `max_bytes` + 1 bytes, so /dev/zero, a FIFO with no
    writer or a file that grows while read all end in one InputFileError."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputFileError(f"no such {what} file; check the path", path=path) from None
    except IsADirectoryError:
        raise InputFileError(f"is a directory, not a {what} file; name the file inside it", path=path) from None
    except PermissionError:
        raise InputFileError(f"cannot read this {what} file (permission denied)", path=path) from None
    except OSError as exc:
        raise InputFileError(f"cannot read this {what} file ({exc.strerror})", path=path) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputFileError(f"is a directory, not a {what} file; name the file inside it", path=path)
        if not stat.S_ISREG(mode):
            raise InputFileError(f"is a device or pipe, not a {what} file; give a regular file", path=path)
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise InputFileError(f"cannot read this {what} file ({exc.strerror})", path=path) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > max_bytes:
        limit = f"{max_bytes // 1024 // 1024} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
        raise InputFileError(f"is too large for a {what} (limit {limit}); is this the right file?", path=path)
    return raw


def read_text_file(path: Path, *, what: str, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Return the UTF-8 text of `path`, or raise one clear InputFileError naming the problem and the fix."""
    raw = read_bounded(path, what=what, max_bytes=max_bytes)
    if b"\x00" in raw[:8192]:
        raise InputFileError(f"looks binary, not a text {what}; give a UTF-8 text file", path=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"is not UTF-8 text (bad byte at offset {exc.start}); re-save it as UTF-8", path=path
        ) from None


def output_target(path: Path, flag: str = "--output") -> Path:
    """`path` if a file may be written there: a new name, or an existing regular file. A symbolic link is refused
    (not followed), and so are devices, FIFOs and sockets, so /dev/null is never replaced, even by root."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise InputFileError(f"{flag} cannot be checked ({exc.strerror})", path=path) from None
    if stat.S_ISLNK(st.st_mode):
        raise InputFileError(f"{flag} is a symbolic link; give the real path", path=path)
    if stat.S_ISDIR(st.st_mode):
        raise InputFileError(f"{flag} is a folder; give a file name", path=path)
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError(f"{flag} is a device, FIFO or socket, not a file; give a regular file path", path=path)
    return path


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
