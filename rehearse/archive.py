"""Export a rehearsal as one zip, and import one — validated, so a hostile zip cannot write outside recordings/."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from rehearse import store
from rehearse.codec import MAX_MANIFEST_BYTES, decode_manifest, parse_json
from rehearse.errors import InputFileError, SessionError
from rehearse.textfiles import atomic_write_bytes, output_target

MEMBER_RE = re.compile(r"^(manifest\.json|turn-\d{3}-(?:interviewer|candidate)(?:\.partial)?\.wav)$")
MAX_MEMBERS = 2000  # a long rehearsal has a few dozen turns
MAX_UNPACKED = 512 * 1024 * 1024  # two hours of 16 kHz audio is ~230 MB; more is not a rehearsal (or a zip bomb)
MAX_RATIO = 200  # WAV compresses ~1.1-3x; a far higher ratio is a zip bomb


def export_session(stored: store.Stored, target: Path) -> Path:
    """Zip the session folder's manifest and WAVs under a folder named by the session id."""
    if target.is_dir() and not target.is_symlink():
        target = target / f"{stored.session.id}.zip"
    output_target(target)  # a regular file or a new name: never a symlink, a device or a FIFO
    files = sorted(p for p in stored.folder.iterdir() if p.is_file() and MEMBER_RE.match(p.name))
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as buf:
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for f in files:
                zf.write(f, f"{stored.session.id}/{f.name}")
        buf.seek(0)
        return atomic_write_bytes(target, buf.read())


def _check_members(zf: zipfile.ZipFile, path: Path) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputFileError(f"holds {len(infos)} files; a rehearsal export holds a manifest and its WAVs", path=path)
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        parts = info.filename.split("/")
        name = parts[-1]
        # One optional top folder, then a known file name: nothing else can be written, wherever it points.
        if len(parts) > 2 or not MEMBER_RE.match(name) or (len(parts) == 2 and not store.ID_RE.match(parts[0])):
            raise InputFileError(f"contains {info.filename!r}, which is not part of a rehearsal export", path=path)
        if name in members:
            raise InputFileError(f"contains {name!r} twice", path=path)
        total += info.file_size
        if total > MAX_UNPACKED or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024 * 1024:
            raise InputFileError("unpacks to far more than a rehearsal; refusing it", path=path)
        members[name] = info
    if "manifest.json" not in members:
        raise InputFileError("has no manifest.json; is it a rehearse export?", path=path)
    return members


def import_session(path: Path, root: Path) -> str:
    """Validate the zip, unpack it into a new session folder, and return the session id it was given."""
    if not path.is_file():
        raise InputFileError("no such zip file; check the path", path=path)
    try:
        with zipfile.ZipFile(path) as zf:
            members = _check_members(zf, path)
            if members["manifest.json"].file_size > MAX_MANIFEST_BYTES:
                raise InputFileError("its manifest.json is far too large to be a rehearsal's", path=path)
            try:
                # The whole manifest, through the same codec as `load`: types, numbers, file names, depth.
                data = parse_json(zf.read(members["manifest.json"]), "the imported session")
                decoded = decode_manifest(data, "in the zip")
            except SessionError as exc:
                raise InputFileError(f"{exc}", path=path) from None
            referenced = {t.audio for t in decoded.session.turns if t.audio}
            if decoded.recording:
                referenced.add(decoded.recording)
            missing = referenced - set(members)
            if missing:
                raise InputFileError(f"the manifest names {sorted(missing)[0]} but the zip does not hold it", path=path)
            return _unpack(zf, members, data, root)
    except zipfile.BadZipFile:
        raise InputFileError("is not a valid zip file", path=path) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputFileError("its manifest.json is not valid JSON", path=path) from None


def _unpack(zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], data: dict, root: Path) -> str:
    if not root.is_dir():
        store.private_dir(root)
    wanted = str(data.get("id", ""))
    sid = wanted if store.ID_RE.match(wanted) and not (root / wanted).exists() else store.new_session_id()
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=root))  # 0700, like every session folder
    try:
        for name, info in members.items():
            with zf.open(info) as src, _private(staging / name) as dst:
                shutil.copyfileobj(src, dst)
        data["id"] = sid
        with _private(staging / "manifest.json") as dst:
            dst.write(json.dumps(data, indent=1).encode("utf-8"))
        os.chmod(staging, store.PRIVATE_DIR)
        staging.rename(root / sid)  # appears whole, or not at all
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sid


def _private(path: Path) -> BinaryIO:
    """A new file open for writing, 0600 whatever the umask (recordings are private)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, store.PRIVATE_FILE)
    os.fchmod(fd, store.PRIVATE_FILE)
    return os.fdopen(fd, "wb")
