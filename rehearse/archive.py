"""Export a rehearsal as one zip, and import one — validated, so a hostile zip cannot write outside recordings/."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from rehearse import store
from rehearse.errors import InputFileError
from rehearse.textfiles import atomic_write_bytes

MEMBER_RE = re.compile(r"^(manifest\.json|turn-\d{3}-(?:interviewer|candidate)(?:\.partial)?\.wav)$")
MAX_MEMBERS = 2000  # a long rehearsal has a few dozen turns
MAX_UNPACKED = 512 * 1024 * 1024  # two hours of 16 kHz audio is ~230 MB; more is not a rehearsal (or a zip bomb)
MAX_RATIO = 200  # WAV compresses ~1.1-3x; a far higher ratio is a zip bomb


def export_session(stored: store.Stored, target: Path) -> Path:
    """Zip the session folder's manifest and WAVs under a folder named by the session id."""
    if target.is_dir():
        target = target / f"{stored.session.id}.zip"
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
            data = json.loads(zf.read(members["manifest.json"]).decode("utf-8"))
            stored = store.parse_manifest(data, Path(str(data.get("id", "import")) if isinstance(data, dict) else "x"))
            referenced = {t.audio for t in stored.session.turns if t.audio}
            missing = referenced - set(members)
            if missing:
                raise InputFileError(f"the manifest names {sorted(missing)[0]} but the zip does not hold it", path=path)
            return _unpack(zf, members, data, root)
    except zipfile.BadZipFile:
        raise InputFileError("is not a valid zip file", path=path) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputFileError("its manifest.json is not valid JSON", path=path) from None


def _unpack(zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], data: dict, root: Path) -> str:
    root.mkdir(parents=True, exist_ok=True)
    wanted = str(data.get("id", ""))
    sid = wanted if store.ID_RE.match(wanted) and not (root / wanted).exists() else store.new_session_id()
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    try:
        for name, info in members.items():
            with zf.open(info) as src, open(staging / name, "wb") as dst:
                shutil.copyfileobj(src, dst)
        data["id"] = sid
        (staging / "manifest.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
        staging.rename(root / sid)  # appears whole, or not at all
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sid
