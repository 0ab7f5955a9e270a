"""Precision and recall of the delivery measures on labelled clips made now (tests/delivery_clips.py):
uptalk (statements bent up or down at the end), monotone (espeak-ng's pitch range narrowed or widened) and trailing
off (sox level ramps). Each clip goes the way a recording does: Whisper tiny.en for the words and their times, then
the scorer and the voice measures (`rehearse score clip.wav`). Prints figures, asserts nothing.

    python bench/bench_delivery.py [--texts N]   # N statements per voice (default all 5)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.delivery_clips import (
    STATEMENTS,
    Clip,
    available,
    monotone_clips,
    trailing_clips,
    uptalk_clips,
)


def _measure(clips: list[Clip], transcribe: bool) -> list[tuple[Clip, bool, str]]:
    """(clip, detected, what was measured) for every clip."""
    from rehearse.audio.wav import read_wav
    from rehearse.scoring.scorer import score_call
    from rehearse.scoring.spoken import with_file_voice
    from rehearse.stt import WhisperTranscriber
    from rehearse.values import Transcript, Utterance

    stt = WhisperTranscriber(None)
    stt.load()
    out = []
    for clip in clips:
        audio = read_wav(clip.path)
        heard = stt.transcribe(audio) if transcribe else Transcript(clip.text, (), "", audio.duration)
        score = score_call([Utterance(heard.text or clip.text, 0.0, audio.duration, heard.words)])
        d = with_file_voice(score, audio, heard).delivery
        if clip.kind == "uptalk":
            rise = max((u.amount for u in d.uptalk or ()), default=None)
            out.append((clip, bool(d.uptalk), f"rise {rise}" if rise is not None else f"{d.statements} measured"))
        elif clip.kind == "monotone":
            p = d.pitch
            out.append((clip, bool(p and p.monotone), f"range {p.range_semitones if p else None} st"))
        else:
            trail = d.volume.trailing_off if d.volume else ()
            out.append((clip, bool(trail), f"drop {trail[0].amount} dB" if trail else "no drop"))
    return out


def _report(kind: str, results: list[tuple[Clip, bool, str]]) -> None:
    rows = [r for r in results if r[0].kind == kind]
    tp = sum(1 for c, hit, _ in rows if hit and c.positive)
    fp = sum(1 for c, hit, _ in rows if hit and not c.positive)
    fn = sum(1 for c, hit, _ in rows if not hit and c.positive)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    positives = sum(1 for c, _, _ in rows if c.positive)
    print(f"{kind:9s} {len(rows):3d} clips ({positives} positive): precision {precision:.2f}  recall {recall:.2f}")
    by: dict[str, list[bool]] = defaultdict(list)
    for c, hit, _ in rows:
        by[c.condition].append(hit)
    for condition, hits in by.items():
        print(f"            {condition:28s} flagged {sum(hits)}/{len(hits)}")
    voices: dict[str, list[bool]] = defaultdict(list)
    for c, hit, _ in rows:
        voices[c.voice].append(hit == c.positive)
    print("            right per voice: " + ", ".join(f"{v} {sum(h)}/{len(h)}" for v, h in voices.items()))
    for c, hit, note in rows:
        if hit != c.positive:
            print(f"            missed/false: {c.voice} {c.condition} “{c.text}” ({note})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=len(STATEMENTS), help="statements per voice")
    args = parser.parse_args()
    if missing := available():
        print(f"skipped: {', '.join(missing)} not installed")
        return 0
    texts = STATEMENTS[: args.texts]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        words = uptalk_clips(folder, texts) + trailing_clips(folder, texts)
        flat = monotone_clips(folder, texts)
        made = time.perf_counter() - t0
        results = _measure(words, transcribe=True) + _measure(flat, transcribe=False)
        took = time.perf_counter() - t0 - made
    print(f"{len(results)} clips made in {made:.1f} s, measured in {took:.1f} s (Whisper tiny.en for the words)")
    for kind in ("uptalk", "monotone", "trailing"):
        _report(kind, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
