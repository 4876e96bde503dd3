"""Reports of a run: console lines, JSON report, JUnit XML, and the final summary line.

Console output goes through a lock so that suites finishing on different threads do not interleave.
"""

import json
import os
import sys
import threading
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from typing import Optional, TextIO

PASSED = "PASSED"
FAILED = "FAILED"
OPTIONAL_FAILED = "OPTIONAL_FAILED"
NOT_IMPLEMENTED = "NOT_IMPLEMENTED"
UNCOVERED = "UNCOVERED"
STATUSES = (PASSED, FAILED, OPTIONAL_FAILED, NOT_IMPLEMENTED, UNCOVERED)

_print_lock = threading.Lock()


@dataclass
class Result:
    id: str
    suite: str
    status: str
    function: Optional[str] = None
    description: str = ""
    errors: list = field(default_factory=list)
    reason: Optional[str] = None
    execution_arn: Optional[str] = None
    duration_seconds: float = 0.0


def is_blocking(result: Result) -> bool:
    """FAILED and UNCOVERED (= not covered and not declared NotImplemented) fail the run."""
    return result.status in (FAILED, UNCOVERED)


def print_result(result: Result, out: TextIO = sys.stdout) -> None:
    lines = [f"{result.status:<15} {result.id:<6} {result.suite:<18} "
             f"{result.function or '-'} ({result.duration_seconds:.1f}s)"]
    if result.reason:
        lines.append(f"    reason: {result.reason}")
    lines.extend(f"    - {e}" for e in result.errors)
    with _print_lock:
        out.write("\n".join(lines) + "\n")
        out.flush()


def counts(results: list) -> dict:
    tally = {s: 0 for s in STATUSES}
    for r in results:
        tally[r.status] += 1
    return tally


def summary_lines(results: list) -> list:
    tally = counts(results)
    passed = tally[PASSED]
    failed = sum(1 for r in results if is_blocking(r))
    detail = ", ".join(f"{n} {s}" for s, n in tally.items())
    return [f"summary: {detail}", f"{passed} passed, {failed} failed"]


def write_json(path: str, results: list, run: dict) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    doc = {"schema_version": "1.0", "run": run, "summary": counts(results),
           "results": [asdict(r) for r in results]}
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def write_junit(path: str, results: list, language: str = "cpp") -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    root = ET.Element("testsuites", name="conformance")
    by_suite: dict = {}
    for r in results:
        by_suite.setdefault(r.suite, []).append(r)
    for suite, items in by_suite.items():
        node = ET.SubElement(root, "testsuite", name=suite, tests=str(len(items)),
                             failures=str(sum(r.status == FAILED for r in items)),
                             skipped=str(sum(r.status not in (PASSED, FAILED) for r in items)),
                             time=f"{sum(r.duration_seconds for r in items):.3f}")
        for r in items:
            case = ET.SubElement(node, "testcase", classname=f"{language}.{suite}", name=r.id,
                                 time=f"{r.duration_seconds:.3f}")
            if r.status == FAILED:
                failure = ET.SubElement(case, "failure", message=(r.errors or ["failed"])[0][:500])
                failure.text = "\n".join(r.errors)
            elif r.status != PASSED:
                text = r.reason or "; ".join(r.errors) or r.status
                ET.SubElement(case, "skipped", message=f"{r.status}: {text}"[:500])
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
