"""Turns a requirement's expectations into a concrete engine answer that satisfies them.

Placeholders get consistent generated values, regexes get a matching sample, '*' gets a plausible
value, EventIds are kept, and the EventIds nobody lists are filled with filler events. Every event
also gets an extra key, which a subset matcher must ignore.
"""

import json
import re
from typing import Any

from conformance.runner.variables import Context, placeholder_name, regex_pattern

_REGEX_SAMPLES = (1, 2, 0, 5, 10, "wrapped:x", "CustomTransientError", "2026-01-01T00:00:00Z",
                  "x")
_NUMERIC_KEYS = {"Duration", "CurrentAttempt", "NextAttemptDelaySeconds", "Timeout",
                 "HeartbeatTimeout", "EventId"}


class Synthesizer:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._serial = 0

    def plausible(self, key: str) -> Any:
        self._serial += 1
        if key == "EventTimestamp":
            return 1764000000.0 + self._serial
        if key in _NUMERIC_KEYS:
            return 1
        if key.endswith("Details"):
            return {}
        if key in ("Result", "Input", "Error"):
            return {"Payload": '"x"', "Truncated": False}
        if key == "Payload":
            return '"x"'
        return f"{key.lower()}-{self._serial:04x}"

    def value(self, expected: Any, key: str) -> Any:
        if isinstance(expected, dict) and not expected:
            return {}
        if expected == "*":
            return self.plausible(key)
        name = placeholder_name(expected)
        if name is not None:
            if not self.ctx.has(name):
                self._serial += 1
                self.ctx.bind(name, f"{name.lower()}-{self._serial:04x}")
            return self.ctx.get(name)
        pattern = regex_pattern(expected)
        if pattern is not None:
            return next(s for s in _REGEX_SAMPLES if re.search(pattern, str(s)))
        if isinstance(expected, dict):
            return {k: self.value(v, k) for k, v in expected.items()}
        if isinstance(expected, list):
            return [self.value(v, key) for v in expected]
        if isinstance(expected, str):
            return self.ctx.substitute(expected)
        return expected

    def history(self, data: dict) -> dict:
        expected = data.get("ExpectedExecutionHistory") or []
        events = {e["EventId"]: dict(self.value(e, "Event"), Extra="ignored") for e in expected}
        last = max(events) if events else 1
        for event_id in range(1, last + 1):
            if event_id not in events:
                events[event_id] = self.filler(event_id, data)
        return {"Events": [events[i] for i in sorted(events)]}

    def filler(self, event_id: int, data: dict) -> dict:
        if event_id == 1:
            payload = json.dumps(self.ctx.substitute(data.get("Input")))
            return {"EventType": "ExecutionStarted", "EventId": 1, "EventTimestamp": 1764000000.0,
                    "ExecutionStartedDetails": {"Input": {"Payload": payload}}}
        return {"EventType": "InvocationCompleted", "EventId": event_id,
                "EventTimestamp": 1764000000.0 + event_id, "InvocationCompletedDetails": {}}

    def execution(self, data: dict) -> dict:
        expected = data.get("ExpectedResult") or {}
        status = expected.get("ExecutionStatus") or "SUCCEEDED"
        answer: dict = {"Status": status, "DurableExecutionArn": "arn:synth"}
        if status == "SUCCEEDED":
            answer["Result"] = json.dumps(self.ctx.substitute(expected.get("Result")))
        else:
            answer["Error"] = {"ErrorType": "Error", "ErrorMessage": "synthetic"}
        return answer


def literal_paths(expected: Any, path: tuple = ()) -> list:
    """(path, value) of every literal string/number leaf of an expectation."""
    found = []
    if isinstance(expected, dict):
        for k, v in expected.items():
            found.extend(literal_paths(v, path + (k,)))
    elif isinstance(expected, list):
        for i, v in enumerate(expected):
            found.extend(literal_paths(v, path + (i,)))
    elif expected != "*" and placeholder_name(expected) is None:
        found.append((path, expected))
    return found


def get_path(doc: Any, path: tuple) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def set_path(doc: Any, path: tuple, value: Any) -> None:
    get_path(doc, path[:-1])[path[-1]] = value
