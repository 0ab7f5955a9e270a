"""The demo's script: the guide's example calls, personalised from a plan, said by a synthetic candidate."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rehearse.plan import Plan
from rehearse.resources import prompts_dir
from rehearse.scoring.wording import fill

if TYPE_CHECKING:
    from rehearse.audio.devices import Speaker
    from rehearse.audio.tts import Synthesizer
    from rehearse.dialogue.interviewer import Interviewer
    from rehearse.dialogue.script import Line


def _data() -> dict[str, Any]:  # tomllib's own type: the values are strings and lists of strings
    return tomllib.loads((prompts_dir() / "demo.toml").read_text("utf-8"))


def example_call(n: int, plan: Plan) -> list[str]:
    """Example call 1 or 2 of the guide, one line per section, filled from the plan."""
    skills = plan.skills or ("[your key skill]",)
    extra = {"skill2": skills[-1], "concern": plan.concern or "[the concern they raised]"}
    return [fill(line, plan, extra) for line in _data()[f"example_{n}"]]


def ask_for_interviewer(plan: Plan) -> str:
    return fill(_data()["ask_for_interviewer"], plan)


class DemoCandidate:
    """Answers each interviewer line with the next line of the model call, in its own synthetic voice.

    It follows the call the way a person would: it asks the receptionist for the interviewer first, and leaves a
    voicemail as one message after the tone.
    """

    def __init__(
        self,
        voice: Synthesizer,
        plan: Plan,
        interviewer: Interviewer,
        show: Callable[[Line], None],
        speaker: Speaker | None = None,
    ) -> None:
        from rehearse.speech import ScriptedMicrophone

        self.plan, self.interviewer, self._show = plan, interviewer, show
        self.mic = ScriptedMicrophone(voice, example_call(1, plan), speaker=speaker)
        self.last_role = "interviewer"

    def show(self, line: Line) -> None:
        self.last_role = line.role
        self._show(line)

    def before_listen(self) -> bool:
        """Load the next answer; False when the script is over."""
        if self.last_role == "receptionist":
            return self.mic.next_answer(ask_for_interviewer(self.plan))
        if self.interviewer.scenario.first_stage == "voicemail" and self.mic.lines:
            message, self.mic.lines = " ".join(self.mic.lines), []
            return self.mic.next_answer(message)
        return self.mic.next_answer()
