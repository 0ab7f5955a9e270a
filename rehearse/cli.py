"""The command line: parse, dispatch to rehearse.commands, and turn user-fixable errors into one line + exit 2.

Nothing heavy is imported here, so `rehearse --help` is instant and works without PortAudio.
"""

from __future__ import annotations

import argparse
import errno
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from rehearse import __version__
from rehearse.environment import RECORDINGS_ENV, Environment
from rehearse.errors import ExitStatus, RehearseError
from rehearse.report import PRINTED_FORMATS


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2 (argparse's own status for it)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ExitStatus.BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


RECORDINGS_HELP = f"where rehearsals are saved (default: recordings/, or ${RECORDINGS_ENV})"


def _common(p: argparse.ArgumentParser) -> None:
    # SUPPRESS: a subcommand not given --recordings must not hide one given before the subcommand.
    p.add_argument("--recordings", metavar="DIR", default=argparse.SUPPRESS, help=RECORDINGS_HELP)


def _speech_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--model", metavar="PATH_OR_NAME", help="a local CTranslate2 Whisper model (default: bundled tiny.en)"
    )
    p.add_argument("--input", metavar="NAME|INDEX", help="microphone to listen on (see `rehearse devices`)")
    p.add_argument("--output", metavar="NAME|INDEX", help="speaker to play the interviewer on")
    p.add_argument("--voice", help="interviewer's text-to-speech voice (an espeak-ng voice id or name)")
    p.add_argument("--rate", type=int, help="interviewer's speaking rate in words per minute")
    p.add_argument("--end-silence", type=float, metavar="SECONDS", help="silence that ends an answer (default 1.0)")
    p.add_argument(
        "--online", metavar="ENGINE", choices=["google"], help="use an ONLINE engine: audio leaves this machine"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rehearse", description="Rehearse the follow-up call after a job interview — offline.")
    parser.add_argument("--version", action="version", version=f"rehearse {__version__}")
    parser.add_argument("--no-color", action="store_true", help="plain output")
    parser.add_argument("--recordings", metavar="DIR", help=RECORDINGS_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_rehearsal_commands(sub)
    _add_plan_commands(sub)
    from rehearse.commands.prep import add_prep_commands

    add_prep_commands(sub)
    _add_device_commands(sub)

    from rehearse.commands.sessions import add_session_commands

    add_session_commands(sub, _common)
    return parser


def _add_rehearsal_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="score a transcript (.txt) or a recording (.wav)")
    p.add_argument("file", help="a .txt transcript (one utterance per line) or an audio recording")
    p.add_argument("--plan", help="call plan (TOML) that makes the rubric personal")
    p.add_argument("--format", choices=PRINTED_FORMATS, default="text")
    p.add_argument("--model", metavar="PATH_OR_NAME", help="speech-to-text model for audio files")

    p = sub.add_parser("practice", help="rehearse the call: spoken (default) or typed (--text)")
    p.add_argument("--plan", help="call plan (TOML)")
    p.add_argument("--scenario", default="receptive", help="how the other side behaves (see `rehearse scenarios`)")
    p.add_argument("--text", action="store_true", help="type your answers instead of speaking")
    p.add_argument("--format", choices=PRINTED_FORMATS, default="text")
    p.add_argument("--no-timing", action="store_true", help="skip the 'is now a good time to call' check")
    p.add_argument(
        "--cues",
        choices=("full", "keywords", "none", "auto"),
        default="none",
        help="while you answer, show the next section's line, 2-3 key words, or nothing; auto fades by history",
    )
    _speech_options(p)
    _common(p)

    p = sub.add_parser("demo", help="a full spoken rehearsal with a synthetic candidate (no microphone needed)")
    p.add_argument("--plan", help="call plan (default: the sample plan)")
    p.add_argument("--scenario", default="receptive")
    p.add_argument("--format", choices=PRINTED_FORMATS, default="text")
    p.add_argument("--play", action="store_true", help="also play both voices on the speaker")
    p.add_argument("--model", metavar="PATH_OR_NAME")
    _common(p)


PLAN_FLAGS = (
    "candidate",
    "interviewer",
    "position",
    "company",
    "interview-date",
    "timeframe",
    "concern",
    "contact-preference",
    "phone",
    "thank-you-sent",
)


def _add_plan_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("timing", help="is now a good time to call?")
    p.add_argument("--plan", required=True)
    p.add_argument("--today", metavar="YYYY-MM-DD[ HH:MM]", help="pretend it is this day (and time)")
    p.add_argument("--called", action="store_true", help="record that you made the call (kept beside the plan)")

    p = sub.add_parser("plan", help="write a call plan")
    plan_sub = p.add_subparsers(dest="plan_command", metavar="ACTION", parser_class=_Parser, required=True)
    q = plan_sub.add_parser("init", help="write a plan file, asking for each field (or from flags)")
    q.add_argument("path", nargs="?", default="plan.toml")
    q.add_argument("--force", action="store_true", help="overwrite an existing file")
    for name in PLAN_FLAGS:
        q.add_argument(f"--{name}")
    q.add_argument("--skill", action="append", dest="skills", metavar="SKILL", help="repeat for each skill")
    sub.add_parser("scenarios", help="list the interviewer scenarios")


def _add_device_commands(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("devices", help="list audio inputs and outputs")
    p = sub.add_parser("mic-check", help="a few seconds of live level meter and what was heard")
    p.add_argument("--input", metavar="NAME|INDEX")
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--playback", action="store_true", help="play the recording back afterwards")
    p.add_argument("--model", metavar="PATH_OR_NAME")


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> ExitStatus:
    env = env or Environment()
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.no_color:
        env.colour = False
    if getattr(args, "recordings", None):
        env.recordings = Path(args.recordings)
    if not args.command:
        parser.print_help(env.stdout)
        return ExitStatus.OK
    if env.debug_log is not None:
        _log_to(env.debug_log)
    from rehearse.commands import dispatch

    try:
        return dispatch(args, env)
    except RehearseError as exc:
        from rehearse.report.plain import one_line  # the message may quote a hostile file: one clean line

        env.stderr.write(f"rehearse: error: {one_line(str(exc))}\n")
        return ExitStatus.BAD_INPUT
    except KeyboardInterrupt:
        env.stderr.write("\nrehearse: stopped.\n")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:  # `rehearse ... | head`: the reader has all it wanted
        _stdout_gone(env)
        return ExitStatus.OK
    except SystemExit as exc:
        if isinstance(exc.__context__, BrokenPipeError):  # rich's own answer to a closed pipe is exit 1
            _stdout_gone(env)
            return ExitStatus.OK
        raise
    except Exception as exc:
        full = disk_full(exc)
        if full is None:
            raise
        env.stderr.write(f"rehearse: error: {disk_full_message(full, args, env)}\n")
        return ExitStatus.BAD_INPUT


class _QuietFileHandler(logging.FileHandler):
    def handleError(self, record: logging.LogRecord) -> None:
        return None  # a debug log on a full disk must not print tracebacks into the call


def _log_to(path: Path) -> None:
    """Debug log of the spoken loop's timing, milliseconds since start; a log that cannot be opened is skipped."""
    try:
        handler = _QuietFileHandler(path, encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(relativeCreated)8.0f %(threadName)s %(name)s: %(message)s"))
    root = logging.getLogger("rehearse")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)


def _stdout_gone(env: Environment) -> None:
    """Point stdout at /dev/null, so flushing it at exit does not fail a second time (Python's advice for
    SIGPIPE)."""
    import os

    try:
        fd = env.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (tests): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
SPOKEN_NEEDS = 20 * 1024 * 1024  # ten minutes of 16 kHz 16-bit answers is 19 MB
OTHER_NEEDS = 1024 * 1024  # manifests, reports, plans: a few hundred KB at most


def disk_full(exc: BaseException) -> OSError | None:
    """The "no space left" / "quota exceeded" error behind `exc`, if one is: itself, its cause or its context (a
    clean-up that failed after the disk filled up raises its own error on top)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in DISK_FULL_ERRNOS:
            return current
        current = current.__cause__ or current.__context__
    return None


def disk_full_message(exc: OSError, args: argparse.Namespace, env: Environment) -> str:
    """One line: which folder is full, how much is free, how much this command needs."""
    import shutil

    folder = _written_folder(exc, args, env)
    needs = _space_needed(args)
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        free = f"{_size(shutil.disk_usage(probe).free)} free"
    except OSError:
        free = "free space unknown"
    what = "the disk is full" if exc.errno == errno.ENOSPC else "the disk quota is used up"
    return (
        f"{what}: no space left in {folder} ({free}); this needs about {_size(needs)} more. "
        "Free some space and run it again; what was saved before is kept."
    )


def _written_folder(exc: OSError, args: argparse.Namespace, env: Environment) -> Path:
    if exc.filename:
        return Path(exc.filename).parent.resolve()
    if args.command == "plan":
        return Path(args.path).parent.resolve()
    if args.command in ("report", "history", "export", "script") and getattr(args, "output", None):
        return Path(args.output).parent.resolve()
    return env.recordings.resolve()


def _space_needed(args: argparse.Namespace) -> int:
    if args.command == "demo" or (args.command == "practice" and not args.text):
        return SPOKEN_NEEDS
    if args.command == "import":
        try:
            return Path(args.zip).stat().st_size + OTHER_NEEDS  # the answers' WAVs barely compress
        except OSError:
            return OTHER_NEEDS
    return OTHER_NEEDS


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    value = n / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def run() -> None:
    sys.exit(int(main()))
