"""Errors the user can fix. The CLI prints each as one line and exits with status 2."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # a bug: something we did not expect
    BAD_INPUT = 2  # the user's input or machine set-up needs fixing
    INTERRUPTED = 130  # Ctrl-C


class RehearseError(Exception):
    """A problem with the user's input or set-up, with the fix in the message."""

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path else message)


class InputFileError(RehearseError):
    """A file the user gave cannot be used (missing, binary, too large, malformed)."""


class DeviceError(RehearseError):
    """No usable audio device, or PortAudio is missing."""


class EngineError(RehearseError):
    """The speech-to-text or text-to-speech engine cannot be used."""


class SessionError(RehearseError):
    """A saved rehearsal cannot be found or read."""
