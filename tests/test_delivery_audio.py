"""The delivery measures on real audio: a statement bent up 6 semitones at its end is uptalk and the same statement
unbent is not (through `rehearse score clip.wav`, Whisper and all); espeak-ng narrowed is monotone and widened is
not; and on a live call through the virtual microphone, the response delays the report gives are the robot's own.
Clips are made now (tests/delivery_clips.py); bench/bench_delivery.py measures precision and recall on many more."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.audio_helpers import virtual_mic as virtual_mic  # a fixture, used by name
from tests.delivery_clips import Clip, available, bend, monotone_clips, uptalk_clips
from tests.delivery_clips import _finish as finish
from tests.delivery_clips import _speak as speak

pytestmark = pytest.mark.audio
STATEMENT = "I am still very interested in the position."
# s: a speech detector frame (32 ms), the device latencies (tens of ms), the robot's own timing, and a soft onset
# the detector hears late: locally the error is 0.01-0.02 s, but one CI run on a fresh clone (2026-11-30) measured a
# 1.2 s pause before "Thank you..." as 1.36 s. Still far apart from the other cases: 0.3 s, 1.2 s and an overlap.
DELAY_TOLERANCE = 0.25


@pytest.fixture(scope="module")
def tools() -> None:
    if missing := available():
        pytest.skip(f"{', '.join(missing)} not installed (sudo apt-get install espeak-ng flite sox)")


def scored(cli, path: Path) -> dict:
    r = cli("score", str(path), "--format", "json")
    assert r.status == 0, r.stderr
    return json.loads(r.stdout)["delivery"]


def test_a_statement_bent_up_six_semitones_is_uptalk_and_unbent_is_not(tools, cli, tmp_path: Path) -> None:
    plain, bent = tmp_path / "plain.wav", tmp_path / "bent.wav"
    speak("espeak", "en-us", STATEMENT, plain)
    bend(plain, bent, 600)
    finish(plain, 1)
    finish(bent, 2)
    up, flat = scored(cli, bent), scored(cli, plain)
    assert flat["statements"] == 1 and flat["uptalk"] == [], flat
    assert len(up["uptalk"]) == 1, up
    rise = up["uptalk"][0]
    assert rise["rise_semitones"] >= 2.0 and "position" in rise["text"].lower()
    assert 0 < rise["start"] < rise["end"] <= 3.5
    # the same words, the same room: only the ending differs
    assert abs(up["volume"]["median_dbfs"] - flat["volume"]["median_dbfs"]) < 2.0


def test_uptalk_is_not_looked_for_in_a_question(tools, cli, tmp_path: Path) -> None:
    plain, bent = tmp_path / "q.wav", tmp_path / "qb.wav"
    speak("espeak", "en-us", "Could you tell me when you expect to decide", plain)
    bend(plain, bent, 600)
    finish(bent, 3)
    assert scored(cli, bent)["uptalk"] == []


def test_narrowed_pitch_is_monotone_and_widened_is_not(tools, tmp_path: Path) -> None:
    from rehearse.audio.wav import read_wav
    from rehearse.scoring.scorer import score_call
    from rehearse.scoring.spoken import with_file_voice
    from rehearse.values import Transcript

    clips: list[Clip] = [c for c in monotone_clips(tmp_path, (STATEMENT,)) if "en-us" in c.voice]
    for clip in clips:
        audio = read_wav(clip.path)
        pitch = with_file_voice(score_call([clip.text]), audio, Transcript(clip.text)).delivery.pitch
        assert pitch is not None and pitch.monotone is clip.positive, (clip.condition, pitch)


def test_the_clip_set_is_large_enough_and_labelled_both_ways(tools, tmp_path: Path) -> None:
    clips = uptalk_clips(tmp_path, (STATEMENT,))
    assert len(clips) >= 16 and {c.positive for c in clips} == {True, False}
    assert all(c.path.is_file() and c.path.stat().st_size > 10_000 for c in clips)


@pytest.mark.device
def test_a_live_call_reports_the_robots_own_response_delays(virtual_mic: dict[str, str], tmp_path: Path) -> None:
    """The robot answers 0.3 s after one line, over the end of the next, and 1.2 s after the last: the report's
    response delays and overlap count must say the same (the robot measures its own delays on the line's audio)."""
    from tests.robot import Answer, Robot, set_echo
    from tests.test_robot_call import CALL_TIMEOUT, REHEARSE, SAMPLE_PLAN

    if shutil.which("flite") is None:
        pytest.skip("flite is not installed (sudo apt-get install flite)")
    answers = [
        Answer(("Good afternoon Maribel, this is Jordan Avery, about the operations analyst role.",), delay=0.3),
        Answer(("I am calling to follow up, and I am still very interested in the position.",), overlap=True),
        Answer(("Thank you for your time, Maribel. I look forward to hearing from you. Goodbye.",), delay=1.2),
    ]
    set_echo(-20)
    env = {**virtual_mic, "REHEARSE_CACHE": str(tmp_path / "cache")}
    cmd = [REHEARSE, "practice", "--plan", SAMPLE_PLAN, "--no-timing", "--recordings", str(tmp_path / "rec")]
    result = Robot(answers, env, timeout=CALL_TIMEOUT).run(cmd)
    set_echo(None)
    assert result.exit_code == 0, result.summary()
    report = result.manifest()["scores"][-1]["report"]["delivery"]
    robot = [t.delay_used for t in result.turns]
    assert report["response_delay"] is not None and len(report["response_delay"]) == len(robot), result.summary()
    turns = [
        (t["speaker"][:3], t["start"], t.get("audio_end"), t.get("speech_start")) for t in result.manifest()["turns"]
    ]
    print("response delays, report vs robot:", report["response_delay"], [round(d or 0, 3) for d in robot])
    for measured, true in zip(report["response_delay"], robot, strict=True):
        assert measured is not None and true is not None, (report["response_delay"], robot, turns)
        assert abs(measured - true) <= DELAY_TOLERANCE, (report["response_delay"], robot, turns)
    assert report["overlaps"] == 1, (report["response_delay"], robot)
    assert report["volume"]["floor_from"] == "room" and report["talk_share"]["share"] > 0
