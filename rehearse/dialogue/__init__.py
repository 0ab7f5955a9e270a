"""The conversation itself: dialogue acts, call state, and the other side's behaviour in each scenario."""
