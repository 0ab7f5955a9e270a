"""Before the call: the personal script, the voicemail, the receptionist line and the thank-you email
(`callscript`, `render`), the cues that fade the script out of rehearsals (`cues`), the record of calls made
(`calllog`) and the dates a person types (`dates`).

Judgement-layer code: it reads the rubric and the plan and writes text; nothing here touches a device."""
