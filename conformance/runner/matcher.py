"""History matcher: expected events against actual events, by EventId (conformance spec 1.4).

Pure functions; the only state is the caller's variables.Context, which collects bindings.
"""

import copy
import re
from typing import Any, Optional

from conformance.runner.variables import Context, placeholder_name, regex_pattern

TERMINAL_EVENTS = {
    "ExecutionSucceeded": "SUCCEEDED",
    "ExecutionFailed": "FAILED",
    "ExecutionTimedOut": "TIMED_OUT",
    "ExecutionCancelled": "CANCELLED",
}
_INHERITING_TYPES = ("CallbackStarted", "StepStarted", "StepSucceeded")


def match_value(expected: Any, actual: Any, ctx: Context, path: str, errors: list) -> None:
    """Appends to errors every way actual fails expected; binds new placeholders into ctx."""
    if isinstance(expected, dict) and not expected:
        return
    if isinstance(expected, str) and expected == "*":
        return
    name = placeholder_name(expected)
    if name is not None:
        if not ctx.has(name):
            ctx.bind(name, actual)
        elif ctx.get(name) != actual:
            errors.append(
                f"{path}: placeholder ${{{name}}} is bound to {ctx.get(name)!r}, got {actual!r}")
        return
    pattern = regex_pattern(expected)
    if pattern is not None:
        try:
            found = re.search(pattern, str(actual)) is not None
        except re.error as e:
            errors.append(f"{path}: invalid regex {pattern!r}: {e}")
            return
        if not found:
            errors.append(f"{path}: {actual!r} does not match regex {pattern!r}")
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, sub in expected.items():
            if key not in actual:
                errors.append(f"{path}.{key}: key missing in actual (expected {sub!r})")
                continue
            match_value(sub, actual[key], ctx, f"{path}.{key}", errors)
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            errors.append(
                f"{path}: list length {len(actual)} != expected {len(expected)} ({actual!r})")
            return
        for i, (e, a) in enumerate(zip(expected, actual)):
            match_value(e, a, ctx, f"{path}[{i}]", errors)
        return
    resolved = ctx.substitute(expected) if isinstance(expected, str) else expected
    if resolved != actual:
        errors.append(f"{path}: expected {resolved!r}, got {actual!r}")


def match_history(expected_events: list, actual_events: list, ctx: Context) -> list:
    """Matches each expected event against the actual event with the same EventId."""
    errors: list = []
    by_id: dict = {}
    for event in actual_events or []:
        if isinstance(event, dict) and event.get("EventId") is not None:
            by_id.setdefault(event["EventId"], event)
    for expected in expected_events or []:
        if not isinstance(expected, dict) or expected.get("EventId") is None:
            errors.append(f"expected event without EventId: {expected!r}")
            continue
        event_id = expected["EventId"]
        actual = by_id.get(event_id)
        want = expected.get("EventType", "?")
        if actual is None:
            errors.append(f"EventId {event_id} ({want}): no actual event with this EventId "
                          f"(history has {len(actual_events or [])} events)")
            continue
        path = f"EventId {event_id} (expected {want}, actual {actual.get('EventType', '?')})"
        match_value(expected, actual, ctx, path, errors)
    return errors


def inherit_wait_for_callback_names(events: list) -> list:
    """Returns a copy where unnamed children of a WaitForCallback context carry its Name."""
    events = copy.deepcopy(events or [])
    parents: dict = {}
    for event in events:
        if (isinstance(event, dict) and event.get("SubType") == "WaitForCallback"
                and "Id" in event and "Name" in event):
            parents.setdefault(event["Id"], event["Name"])
    for event in events:
        if (isinstance(event, dict) and event.get("EventType") in _INHERITING_TYPES
                and "Name" not in event and event.get("ParentId") in parents):
            event["Name"] = parents[event["ParentId"]]
    return events


def execution_status(history: dict) -> Optional[str]:
    """Top-level ExecutionStatus if present, else the status of the last terminal event."""
    explicit = history.get("ExecutionStatus") if isinstance(history, dict) else None
    if explicit:
        return explicit
    for event in reversed(history.get("Events") or []):
        status = TERMINAL_EVENTS.get(event.get("EventType")) if isinstance(event, dict) else None
        if status:
            return status
    return None
