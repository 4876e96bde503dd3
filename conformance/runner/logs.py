"""ExpectedLogs: turns captured handler output into records and checks them (conformance spec 1.7).

Pure functions; safe from any thread.
"""

import json
import numbers
import re
from typing import Any

from conformance.runner.variables import Context

ARN_FIELDS = ("durableExecutionArn", "executionArn")


def build_records(lines: list, arn: str) -> list:
    """Records of one execution, sorted by timestamp (stable).

    A line whose message is a JSON object exposes its top-level fields; any other line exposes
    only ``message`` (stripped). A line belongs to the execution when the JSON object carries the
    ARN in durableExecutionArn/executionArn, or when the engine tagged the line itself with one of
    those fields.
    """
    records = []
    for index, line in enumerate(lines or []):
        if not isinstance(line, dict):
            continue
        message = line.get("message", "")
        fields = None
        if isinstance(message, str):
            try:
                parsed = json.loads(message)
                if isinstance(parsed, dict):
                    fields = parsed
            except ValueError:
                pass
        if fields is None:
            fields = {"message": str(message).strip()}
        owners = {fields.get(k) for k in ARN_FIELDS} | {line.get(k) for k in ARN_FIELDS}
        if arn not in owners:
            continue
        timestamp = line.get("timestamp", 0)
        if not isinstance(timestamp, numbers.Number):
            timestamp = 0
        records.append({"ts": timestamp, "seq": index, "fields": fields})
    records.sort(key=lambda r: (r["ts"], r["seq"]))
    return records


def field_matches(expected: Any, record_fields: dict, key: str) -> bool:
    if key not in record_fields:
        return False
    actual = record_fields[key]
    if isinstance(expected, bool):
        return actual is expected
    if isinstance(expected, numbers.Number):
        return (isinstance(actual, numbers.Number) and not isinstance(actual, bool)
                and actual == expected)
    if isinstance(expected, str):
        if len(expected) >= 2 and expected.startswith("/") and expected.endswith("/"):
            return re.search(expected[1:-1], str(actual).strip()) is not None
        return str(actual).strip() == expected
    return str(actual).strip() == str(expected)


def record_matches(matcher: dict, record: dict) -> bool:
    return all(field_matches(v, record["fields"], k) for k, v in matcher.items())


def _anchors(raw: Any) -> list:
    if raw is None:
        return []
    return raw if isinstance(raw, list) else [raw]


def check_logs(expected_logs: list, records: list, ctx: Context) -> list:
    """Returns one error per failed cardinality or ordering assertion."""
    errors = []
    for i, raw in enumerate(expected_logs or []):
        entry = ctx.substitute(raw) if isinstance(raw, dict) else raw
        matcher = entry.get("match") if isinstance(entry, dict) else None
        if not isinstance(matcher, dict) or not matcher:
            errors.append(f"ExpectedLogs[{i}]: invalid entry, 'match' must be a non-empty mapping")
            continue
        label = f"ExpectedLogs[{i}] match={matcher!r}"
        try:
            own = [r for r in records if record_matches(matcher, r)]
            errors.extend(_check_count(entry, len(own), label))
            for where in ("after", "before"):
                for anchor in _anchors(entry.get(where)):
                    errors.extend(_check_order(where, anchor, own, records, label))
        except re.error as e:
            errors.append(f"{label}: invalid regex: {e}")
    return errors


def _check_count(entry: dict, n: int, label: str) -> list:
    count, low, high = entry.get("count"), entry.get("min_count"), entry.get("max_count")
    if count is not None:
        return [] if n == count else [f"{label}: expected exactly {count} record(s), got {n}"]
    if low is None and high is None:
        low = 1
    errors = []
    if low is not None and n < low:
        errors.append(f"{label}: expected at least {low} record(s), got {n}")
    if high is not None and n > high:
        errors.append(f"{label}: expected at most {high} record(s), got {n}")
    return errors


def _check_order(where: str, anchor: Any, own: list, records: list, label: str) -> list:
    if not isinstance(anchor, dict) or not anchor:
        return [f"{label}: {where} anchor must be a non-empty mapping, got {anchor!r}"]
    anchored = [r for r in records if record_matches(anchor, r)]
    if not anchored:
        return [f"{label}: {where} anchor {anchor!r} matches no record"]
    if not own:
        return []
    if where == "after" and min(r["ts"] for r in own) < max(r["ts"] for r in anchored):
        return [f"{label}: a record sorts before {where}-anchor {anchor!r}"]
    if where == "before" and max(r["ts"] for r in own) > min(r["ts"] for r in anchored):
        return [f"{label}: a record sorts after {where}-anchor {anchor!r}"]
    return []
