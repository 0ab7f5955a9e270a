"""Saved rehearsals: crash-safe writing, listing, reports, rescoring, history, export and import."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from rehearse import store
from rehearse.audio.wav import read_wav
from rehearse.values import Audio, Session, Transcript, Turn, Word
from tests.conftest import SAMPLE_PLAN


def test_practice_is_saved_and_listed(cli, typed_session: str) -> None:
    r = cli("sessions")
    assert typed_session in r.stdout
    assert "receptive" in r.stdout


def test_manifest_is_versioned_and_complete(tmp_path: Path, typed_session: str) -> None:
    data = json.loads((tmp_path / "recordings" / typed_session / "manifest.json").read_text())
    assert data["schema"] == "rehearse.session/1"
    assert data["complete"] is True
    assert data["plan"]["candidate"] == "Jordan Avery"
    assert [t["speaker"] for t in data["turns"]][:2] == ["interviewer", "candidate"]
    assert data["scores"][-1]["report"]["schema"] == "rehearse.report/1"


def test_recorder_writes_every_turn_atomically(tmp_path: Path) -> None:
    rec = store.SessionRecorder.create(tmp_path, Session("", "2026-11-26T10:00:00", "receptive", "spoken"))
    audio = Audio(np.full(1600, 0.1, dtype=np.float32))
    rec.add_turn(Turn(0, "interviewer", "Hello, Maribel speaking.", 0.0, 1.0), audio)
    rec.flush()  # the turn is written on a worker thread, so the reply need not wait for the disk
    # mid-session: the manifest already lists the turn and its WAV is whole
    loaded = store.load(tmp_path, rec.session.id)
    assert not loaded.session.complete
    assert loaded.session.turns[0].audio == "turn-000-interviewer.wav"
    from rehearse.audio.wav import read_wav

    assert read_wav(loaded.folder / "turn-000-interviewer.wav").duration == pytest.approx(0.1)
    partial = rec.begin_answer()
    partial.append(np.full(800, 0.2, dtype=np.float32))
    partial.close()  # what a crash leaves: a partial answer on disk, named in the manifest
    loaded = store.load(tmp_path, rec.session.id)
    assert loaded.partial == "turn-001-candidate.partial.wav"
    assert read_wav(loaded.folder / loaded.partial).duration == pytest.approx(0.05)


def test_a_turn_saved_in_the_background_reports_a_failed_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = store.SessionRecorder.create(tmp_path, Session("", "2026-11-26T10:00:00", "receptive", "spoken"))

    def full_disk(path: Path, text: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "atomic_write_text", full_disk)
    rec.add_turn(Turn(0, "interviewer", "Hello.", 0.0, 1.0), Audio(np.full(1600, 0.1, dtype=np.float32)))
    with pytest.raises(OSError, match="No space"):
        rec.flush()
    monkeypatch.undo()
    rec.add_turn(Turn(1, "candidate", "Hi.", 1.0, 2.0), None)  # the next write goes on, and includes the first turn
    rec.flush()
    assert [t.text for t in store.load(tmp_path, rec.session.id).session.turns] == ["Hello.", "Hi."]


def _crashed_mid_answer(root: Path, samples: int) -> store.Stored:
    """A session killed while its second turn, an answer, was being recorded: what kill -9 leaves on disk."""
    rec = store.SessionRecorder.create(root, Session("", "2026-11-26T10:00:00", "receptive", "spoken"))
    rec.add_turn(Turn(0, "interviewer", "Hello, Maribel speaking.", 0.0, 1.5), Audio(np.zeros(1600, np.float32)))
    partial = rec.begin_answer()
    if samples:
        partial.append(np.full(samples, 0.2, dtype=np.float32))
    partial.close()
    return store.load(root, rec.session.id)


class FakeTranscriber:
    def __init__(self) -> None:
        self.heard: list[float] = []

    def __call__(self, audio: Audio) -> Transcript:
        self.heard.append(audio.duration)
        return Transcript("Good afternoon Maribel", (Word("Good", 0.1, 0.3, 0.9), Word("afternoon", 0.3, 0.8)))


def test_a_crashed_answer_is_transcribed_into_the_last_turn_once(tmp_path: Path) -> None:
    crashed = _crashed_mid_answer(tmp_path, 32000)
    stt = FakeTranscriber()
    recovered = store.recover_partial(crashed, stt)
    assert stt.heard == [pytest.approx(2.0)]
    for s in (recovered, store.load(tmp_path, crashed.session.id)):  # returned and written alike
        assert not s.partial and not s.session.complete
        last = s.session.turns[-1]
        assert (last.index, last.speaker, last.text) == (1, "candidate", "Good afternoon Maribel")
        assert last.note == store.RECOVERED_NOTE
        assert (last.start, last.end) == (1.5, 3.5)
        assert [w.text for w in last.words] == ["Good", "afternoon"]
        assert last.audio == "turn-001-candidate.wav"
    assert read_wav(tmp_path / crashed.session.id / "turn-001-candidate.wav").duration == pytest.approx(2.0)
    assert not (tmp_path / crashed.session.id / crashed.partial).exists()
    data = json.loads((tmp_path / crashed.session.id / store.MANIFEST).read_text())
    assert data["recording"] == "" and data["complete"] is False
    again = store.recover_partial(store.load(tmp_path, crashed.session.id), stt)
    assert len(again.session.turns) == 2 and stt.heard == [pytest.approx(2.0)]  # idempotent: nothing added twice


def test_a_recovery_stopped_after_the_rename_finishes_next_time(tmp_path: Path) -> None:
    crashed = _crashed_mid_answer(tmp_path, 16000)
    folder = crashed.folder
    (folder / crashed.partial).rename(folder / "turn-001-candidate.wav")  # renamed, manifest not yet rewritten
    stopped = store.load(tmp_path, crashed.session.id)
    assert stopped.partial == "turn-001-candidate.wav"
    recovered = store.recover_partial(stopped, FakeTranscriber())
    assert [t.audio for t in recovered.session.turns] == ["turn-000-interviewer.wav", "turn-001-candidate.wav"]
    assert not store.load(tmp_path, crashed.session.id).partial


def test_an_empty_crashed_answer_is_dropped_with_one_line(tmp_path: Path) -> None:
    crashed = _crashed_mid_answer(tmp_path, 0)
    warnings: list[str] = []
    stt = FakeTranscriber()
    recovered = store.recover_partial(crashed, stt, warnings.append)
    assert stt.heard == [] and len(recovered.session.turns) == 1 and not recovered.partial
    assert len(warnings) == 1 and "\n" not in warnings[0] and crashed.partial in warnings[0]
    assert not store.load(tmp_path, crashed.session.id).partial
    assert (crashed.folder / crashed.partial).exists()  # the file is left for the user; only the manifest forgets it


def test_two_sessions_in_the_same_second_do_not_collide(tmp_path: Path) -> None:
    ids = {store.SessionRecorder.create(tmp_path).session.id for _ in range(30)}
    assert len(ids) == 30


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_report_formats(cli, typed_session: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    r = cli("report", typed_session, "--format", fmt, "--output", str(out))
    assert r.status == 0, r.stderr
    text = out.read_text()
    manifest = json.loads((tmp_path / "recordings" / typed_session / "manifest.json").read_text())
    overall = manifest["scores"][-1]["report"]["overall"]
    # The typed answers say "Jordan" already; what only a report holds is its heading and the stored score.
    marker = {"text": "Overall", "markdown": f"**Overall: {overall}/100**", "html": "<!DOCTYPE html>"}
    if fmt == "json":
        data = json.loads(text)
        assert (data["schema"], data["overall"], data["session_id"]) == ("rehearse.report/1", overall, typed_session)
    else:
        assert marker[fmt] in text and str(overall) in text


def test_rescore_keeps_the_old_result(cli, typed_session: str, tmp_path: Path) -> None:
    assert cli("rescore", typed_session).status == 0
    data = json.loads((tmp_path / "recordings" / typed_session / "manifest.json").read_text())
    assert [s["why"] for s in data["scores"]] == ["recorded", "rescored"]


def test_show_and_replay_without_audio(cli, typed_session: str) -> None:
    r = cli("replay", typed_session, "--no-audio")
    assert r.status == 0
    assert "Jordan Avery" in r.stdout and "Interviewer" in r.stdout
    assert cli("replay", typed_session, "--no-audio", "--turn", "99").status == 2
    assert "complete" in cli("show", "last").stdout


def test_history_shows_progress_and_what_to_practise(cli, typed_session: str) -> None:
    cli("practice", "--text", "--plan", SAMPLE_PLAN, "--no-timing", stdin="Hello.\n")
    r = cli("history")
    assert r.status == 0
    assert "Practise next" in r.stdout
    assert "Greeting" in r.stdout and "Next steps" in r.stdout
    assert "No scored rehearsals" in cli("history", "--position", "astronaut").stdout


def _broken_sessions(root: Path, good: str) -> dict[str, str]:
    src = root / good
    cases = {}
    for name, damage in {
        "corrupt-manifest": lambda d: (d / "manifest.json").write_text("{not json"),
        "future-schema": lambda d: (d / "manifest.json").write_text(
            json.dumps({**json.loads((src / "manifest.json").read_text()), "schema": "rehearse.session/9"})
        ),
        "bad-turn": lambda d: (d / "manifest.json").write_text(
            json.dumps({**json.loads((src / "manifest.json").read_text()), "turns": [{"speaker": "alien"}]})
        ),
    }.items():
        folder = root / f"20260101-000000-{name}"
        folder.mkdir()
        (folder / "manifest.json").write_text((src / "manifest.json").read_text())
        damage(folder)
        cases[name] = folder.name
    return cases


@pytest.mark.parametrize("case", ["corrupt-manifest", "future-schema", "bad-turn", "unknown", "../../etc", "a/b"])
def test_bad_sessions_are_one_line_and_others_still_list(cli, typed_session: str, tmp_path: Path, case: str) -> None:
    ids = _broken_sessions(tmp_path / "recordings", typed_session)
    r = cli("report", ids.get(case, case))
    assert r.status == 2
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr
    listing = cli("sessions")
    assert listing.status == 0
    assert typed_session in listing.stdout


def test_missing_wav_is_a_clear_error_on_replay(cli, tmp_path: Path) -> None:
    rec = store.SessionRecorder.create(
        tmp_path / "recordings", Session("", "2026-11-26T10:00:00", "receptive", "spoken")
    )
    rec.add_turn(Turn(0, "interviewer", "Hello.", 0.0, 1.0), Audio(np.zeros(1600, dtype=np.float32)))
    rec.flush()
    (rec.folder / "turn-000-interviewer.wav").unlink()
    r = cli("replay", rec.session.id)
    assert r.status == 2
    assert len(r.stderr.strip().splitlines()) == 1


def test_export_import_round_trip(cli, typed_session: str, tmp_path: Path) -> None:
    z = tmp_path / "out.zip"
    assert cli("export", typed_session, "--output", str(z)).status == 0
    assert cli("import", str(z)).status == 0
    assert len(store.session_ids(tmp_path / "recordings")) == 2  # imported under a new id beside the original


@pytest.mark.parametrize(
    "member",
    ["../evil.wav", "/etc/passwd", "x/../../manifest.json", "a/b/manifest.json", "notes.txt", "ok/../../x.wav"],
)
def test_hostile_zip_cannot_write_outside(cli, typed_session: str, tmp_path: Path, member: str) -> None:
    z = tmp_path / "evil.zip"
    manifest = (tmp_path / "recordings" / typed_session / "manifest.json").read_text()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr(member, b"boo")
    before = sorted(p for p in tmp_path.rglob("*"))
    r = cli("import", str(z))
    assert r.status == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_import_rejects_a_non_zip(cli, tmp_path: Path) -> None:
    bad = tmp_path / "x.zip"
    bad.write_text("not a zip")
    assert cli("import", str(bad)).status == 2


def _turns(*spec: tuple[str, str, str]) -> tuple[Turn, ...]:
    return tuple(Turn(i, who, text, asked=asked) for i, (who, text, asked) in enumerate(spec))  # type: ignore[arg-type]


def test_the_answer_after_the_concern_question_is_marked_as_its_reply() -> None:
    turns = _turns(
        ("interviewer", "Maribel speaking.", ""),
        ("candidate", "Hi, it's Jordan.", ""),
        ("interviewer", "The panel had one doubt, about cold-chain shipments.", "concern"),
        ("candidate", "", ""),  # nothing heard: the next words are still the reply
        ("candidate", "I kept the temperature logs for two years.", ""),
        ("candidate", "And I can send the audit.", ""),  # going on: no longer the reply
        ("interviewer", "Thanks.", ""),
        ("candidate", "When will you decide?", ""),
    )
    session = Session("s", "2026-11-30T10:00:00", "raises-a-concern", "text", turns)
    marks = [(u.text, u.reply_to) for u in session.candidate_utterances()]
    assert marks == [
        ("Hi, it's Jordan.", ""),
        ("I kept the temperature logs for two years.", "concern"),
        ("And I can send the audit.", ""),
        ("When will you decide?", ""),
    ]


@pytest.mark.parametrize("silent", [False, True], ids=["at-once", "after-asking-again"])
def test_a_typed_rehearsal_credits_an_answer_to_the_interviewers_concern_question(
    cli, tmp_path: Path, silent: bool
) -> None:
    """The interviewer raises the concern and the candidate answers without naming it: the saved session marks the
    question, and the report credits the answer the interviewer just heard (it said so out loud), also when the
    first try was not heard and the interviewer asked again."""
    answers = [
        "Hi Maribel, it's Jordan Avery, I interviewed with you for the analyst role.",
        "I'm ringing to see where things are, I'm still really keen.",
        *([""] if silent else []),
        "I ran the chilled loads at Harbour Cold Store for two years and kept every temperature log.",
        "Thanks very much for your time. Bye.",
    ]
    r = cli(
        "practice", "--text", "--plan", SAMPLE_PLAN, "--no-timing", "--scenario", "raises-a-concern",
        stdin="\n".join(answers) + "\n",
    )  # fmt: skip
    assert r.status == 0, r.stderr
    assert "reassuring" in r.stdout  # what the interviewer said to the answer
    (sid,) = store.session_ids(tmp_path / "recordings")
    manifest = json.loads((tmp_path / "recordings" / sid / "manifest.json").read_text())
    asked = [t for t in manifest["turns"] if t.get("asked")]
    assert len(asked) == 1 + silent and all(t["speaker"] == "interviewer" for t in asked)
    assert "cold-chain" in asked[0]["text"]
    report = json.loads(cli("report", sid, "--format", "json").stdout)
    assert next(s for s in report["sections"] if s["id"] == "questions")["present"]


@pytest.mark.parametrize("value", ["weather", 3, ["concern"]])
def test_a_hand_edited_asked_mark_is_one_clear_line(cli, typed_session: str, tmp_path: Path, value: object) -> None:
    path = tmp_path / "recordings" / typed_session / "manifest.json"
    data = json.loads(path.read_text())
    data["turns"][0]["asked"] = value
    path.write_text(json.dumps(data))
    r = cli("report", typed_session)
    assert r.status == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "asked" in r.stderr, r.stderr
