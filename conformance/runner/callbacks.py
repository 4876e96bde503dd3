"""CallbackActions: answers the callbacks an async execution opens (conformance spec 1.5).

A CallbackResponder belongs to one requirement run and is driven from one thread.
"""

import json
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from conformance.runner.client import ClientError
from conformance.runner.variables import Context, regex_pattern

_ERROR_KEYS = ("ErrorType", "ErrorMessage", "ErrorData", "StackTrace")
_OPERATIONS = ("success", "failure", "heartbeat")


@dataclass
class Action:
    name: Any
    operation: str
    payload: Any
    has_payload: bool
    delay: float
    used: bool = False


def parse_actions(raw: Any) -> tuple:
    """Returns (actions, errors) for a requirement's CallbackActions list."""
    actions, errors = [], []
    for i, item in enumerate(raw or []):
        if not isinstance(item, dict) or "CallbackName" not in item or "Operation" not in item:
            errors.append(f"CallbackActions[{i}]: needs CallbackName and Operation: {item!r}")
            continue
        operation = str(item["Operation"]).lower()
        if operation not in _OPERATIONS:
            errors.append(f"CallbackActions[{i}]: unknown Operation {item['Operation']!r}")
            continue
        actions.append(Action(item["CallbackName"], operation, item.get("Payload"),
                              "Payload" in item, float(item.get("Delay") or 0)))
    return actions, errors


def error_object(payload: Any) -> dict:
    """Builds the ErrorObject of a failure action; a non-mapping payload is a ValueError."""
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise ValueError(f"failure Payload must be a mapping, got {payload!r}")
    return {k: payload[k] for k in _ERROR_KEYS if k in payload}


class CallbackResponder:
    """Matches each new CallbackStarted event with the first unused fitting action and sends it."""

    def __init__(self, client: Any, raw_actions: Any, ctx: Context,
                 sleep: Callable[[float], None] = time.sleep):
        self._client = client
        self._ctx = ctx
        self._sleep = sleep
        self.actions, self.errors = parse_actions(raw_actions)
        self._configured = bool(raw_actions)
        self.handled: set = set()
        self.sent: list = []

    def _fits(self, action: Action, name: Optional[str]) -> bool:
        wanted = self._ctx.substitute(action.name)
        if wanted == "*":
            return True
        pattern = regex_pattern(wanted)
        if pattern is not None:
            return re.search(pattern, "" if name is None else str(name)) is not None
        return name is not None and wanted == name

    def process(self, events: list) -> None:
        """Handles the not yet handled callbacks of events (already name-inherited)."""
        for event in events:
            if not isinstance(event, dict) or event.get("EventType") != "CallbackStarted":
                continue
            callback_id = (event.get("CallbackStartedDetails") or {}).get("CallbackId")
            if callback_id is None or callback_id in self.handled:
                continue
            if not self._configured:
                self.handled.add(callback_id)
                continue
            name = event.get("Name")
            action = next((a for a in self.actions if not a.used and self._fits(a, name)), None)
            if action is None:
                self.errors.append(f"callback {callback_id} (Name={name!r}): no unused "
                                   f"CallbackAction matches")
                self.handled.add(callback_id)
                continue
            action.used = True
            if action.operation != "heartbeat":
                self.handled.add(callback_id)
            if action.delay > 0:
                self._sleep(action.delay)
            self._send(action, callback_id, name)

    def _send(self, action: Action, callback_id: str, name: Any) -> None:
        try:
            if action.operation == "success":
                body = b""
                if action.has_payload:
                    body = json.dumps(self._ctx.substitute(action.payload)).encode("utf-8")
                self._client.callback_success(callback_id, body)
            elif action.operation == "failure":
                error = error_object(self._ctx.substitute(action.payload))
                self._client.callback_failure(callback_id, error)
            else:
                self._client.callback_heartbeat(callback_id)
            self.sent.append((action.operation, callback_id))
        except (ClientError, ValueError) as e:
            self.errors.append(f"callback {callback_id} (Name={name!r}) {action.operation}: {e}")
