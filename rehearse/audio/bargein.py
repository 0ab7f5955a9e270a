"""The candidate talks over the interviewer: stop the line, as a person on the phone would, and listen.

Without this, a reply that came too early (in a pause the candidate had not finished) played on to its end while
the candidate kept talking, the echo guard muted their words under it, and the call fell apart into fragments: in
a robot call, one reply in a 1.2 s pause cost the next three answers. The microphone's level is watched while a
line plays; when the candidate's voice (louder than the echo expected from our own line, and well above the room)
has filled BARGE_IN_SECONDS of the last BARGE_IN_WINDOW, the line stops. The loop then takes back the reply, so the
interviewer answers the whole of what the candidate said (rehearse.loop).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from rehearse.audio.echo import EchoGuard

BARGE_IN_SECONDS = 0.25  # this much of the candidate's voice over our line stops it: a cough or a "mm" does not
BARGE_IN_WINDOW = 0.4  # ...within this long
OVER_ROOM_DB = 15.0  # the voice must be this far above the room's calibrated noise floor
POLL_SECONDS = 0.02
# A line stopped before this much of it was heard was talked over: the candidate had not finished, and the reply is
# taken back. Stopped later, the candidate is answering the line itself, a little early (people start in the other
# side's last few hundred milliseconds): the line stands as said.
TAKE_BACK_BEFORE = 0.6

Level = tuple[float, float, float]  # (monotonic time the block was heard, its seconds, its dBFS)


class BargeIn:
    """Decides, from the microphone's recent block levels, whether the candidate is talking over our line."""

    def __init__(self, levels: Callable[[], Sequence[Level]], echo: EchoGuard, room_db: float) -> None:
        self.levels = levels  # the microphone's recent blocks (SoundDeviceMicrophone.recent_levels)
        self.echo = echo
        self.threshold_db = room_db + OVER_ROOM_DB

    def heard(self, since: float) -> bool:
        """The candidate's voice filled BARGE_IN_SECONDS of the last BARGE_IN_WINDOW, all after `since`."""
        blocks = [b for b in self.levels() if b[0] >= since]
        if not blocks:
            return False
        newest = blocks[-1][0] + blocks[-1][1]
        voiced = sum(
            seconds
            for at, seconds, db in blocks
            if at >= newest - BARGE_IN_WINDOW
            and db > self.threshold_db
            and not self.echo.is_echo(at, at + seconds, db, learn=False)
        )
        return voiced >= BARGE_IN_SECONDS - 1e-9

    def watch(self, since: float, stop: Callable[[], None]) -> Watch:
        """Polls on a thread until closed; calls `stop` (once) when the candidate talks over the line."""
        return Watch(self, since, stop)


class Watch:
    def __init__(self, barge_in: BargeIn, since: float, stop: Callable[[], None]) -> None:
        self.stopped = False  # the candidate talked over the line and it was stopped
        self._barge_in, self._since, self._stop = barge_in, since, stop
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rehearse-barge-in", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._closed.wait(POLL_SECONDS):
            if self._barge_in.heard(self._since):
                self.stopped = True
                self._stop()
                return

    def close(self) -> None:
        self._closed.set()
        self._thread.join()
