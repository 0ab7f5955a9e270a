"""The interviewer's side of the call, driven by a scenario file in prompts/scenarios/.

The engine lives in rehearse/dialogue/ (acts, call state, the interviewer's behaviour, listening policy); this
module is the stable import point the loop, the app and the tests use.
"""

from __future__ import annotations

from rehearse.dialogue.interviewer import Interviewer
from rehearse.dialogue.policy import ListenPolicy
from rehearse.dialogue.script import Line, Scenario, load_scenario, scenario_names

__all__ = ["Interviewer", "Line", "ListenPolicy", "Scenario", "load_scenario", "scenario_names"]
