"""Command line: select requirements, run suites in parallel, write reports, set the exit code."""

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional, TextIO

from conformance.runner import report
from conformance.runner.client import Client
from conformance.runner.flows import Options, run_requirement
from conformance.runner.loader import LoadError, id_sort_key, load_requirements, load_template

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REQUIREMENTS = REPO_ROOT.parent / "shared" / "conformance"


def _split(value: Optional[str]) -> Optional[list]:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def parse_args(argv: Optional[list]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python3 -m conformance.runner",
                                description="Run the AWS durable-execution conformance "
                                            "requirements against a Durable engine.")
    p.add_argument("--endpoint", required=True, help="engine base URL, e.g. http://127.0.0.1:9000")
    p.add_argument("--template", required=True, help="SAM-shaped template mapping functions to ids")
    p.add_argument("--requirements", default=str(DEFAULT_REQUIREMENTS),
                   help="folder of <suite>/<id>.yaml "
                        "(default: ../shared/conformance beside the repo)")
    p.add_argument("--suites", help="comma-separated suites (default: all)")
    p.add_argument("--ids", help="comma-separated requirement ids (default: all of the suites)")
    p.add_argument("--workers", type=int, default=4, help="suites run in parallel (default 4)")
    p.add_argument("--report-dir", default="conformance-results", help="JSON + JUnit reports")
    p.add_argument("--history-dir", help="saved histories (default: <report-dir>/histories)")
    p.add_argument("--poll-interval", type=float, default=2.0, help="async poll interval, s")
    p.add_argument("--no-progress-timeout", type=float, default=30.0,
                   help="async: fail after this long without new events, s")
    p.add_argument("--log-settle", type=float, default=1.0,
                   help="wait before reading logs, s")
    p.add_argument("--log-timeout", type=float, default=5.0,
                   help="keep re-reading logs while their check fails, s")
    p.add_argument("--invoke-timeout", type=float, default=900.0,
                   help="HTTP timeout of a synchronous Invoke, s")
    p.add_argument("--language", default="cpp", help="JUnit classname prefix (default cpp)")
    return p.parse_args(argv)


def select(requirements: dict, suites: Optional[list], ids: Optional[list]) -> list:
    unknown_suites = set(suites or []) - {r.suite for r in requirements.values()}
    if unknown_suites:
        raise LoadError(f"unknown suite(s): {', '.join(sorted(unknown_suites))}")
    unknown_ids = set(ids or []) - set(requirements)
    if unknown_ids:
        raise LoadError(f"unknown id(s): {', '.join(sorted(unknown_ids, key=id_sort_key))}")
    chosen = [r for r in requirements.values()
              if (suites is None or r.suite in suites) and (ids is None or r.id in ids)]
    return sorted(chosen, key=lambda r: id_sort_key(r.id))


def run_one(requirement, template, client, opts, out) -> report.Result:
    result = report.Result(requirement.id, requirement.suite, report.PASSED,
                           description=requirement.description)
    function = template.functions.get(requirement.id)
    if function is None:
        reason = template.not_implemented.get(requirement.id)
        result.status = report.NOT_IMPLEMENTED if reason is not None else report.UNCOVERED
        result.reason = reason or None
        if reason is None:
            result.errors.append("no function in the template declares this id")
    else:
        result.function = function
        started = time.monotonic()
        try:
            outcome = run_requirement(requirement, client, function, opts)
            result.execution_arn, result.errors = outcome.arn, outcome.errors
            passed = outcome.passed
        except Exception as e:  # a runner bug must fail one id, not the whole run
            result.errors, passed = [f"runner error: {type(e).__name__}: {e}"], False
        result.duration_seconds = time.monotonic() - started
        if not passed:
            result.status = report.OPTIONAL_FAILED if requirement.optional else report.FAILED
    report.print_result(result, out)
    return result


def main(argv: Optional[list] = None, out: TextIO = sys.stdout) -> int:
    args = parse_args(argv)
    try:
        requirements = load_requirements(args.requirements)
        template = load_template(args.template)
        chosen = select(requirements, _split(args.suites), _split(args.ids))
    except LoadError as e:
        out.write(f"error: {e}\n")
        return 2
    for warning in template.warnings:
        out.write(f"warning: {warning}\n")
    for stale in sorted(set(template.functions) & set(template.not_implemented), key=id_sort_key):
        out.write(f"warning: {stale} is covered but also declared NotImplemented (stale)\n")
    for extra in sorted(set(template.functions) - set(requirements), key=id_sort_key):
        out.write(f"warning: template maps unknown id {extra}\n")
    history_dir = args.history_dir or str(Path(args.report_dir) / "histories")
    opts = Options(poll_interval=args.poll_interval, no_progress_timeout=args.no_progress_timeout,
                   history_dir=history_dir, log_settle=args.log_settle,
                   log_timeout=args.log_timeout)
    client = Client(args.endpoint, invoke_timeout=args.invoke_timeout)
    suites: dict = {}
    for r in chosen:
        suites.setdefault(r.suite, []).append(r)
    started = datetime.now(timezone.utc).isoformat()

    def run_suite(items: list) -> list:
        return [run_one(r, template, client, opts, out) for r in items]

    with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
        batches = list(pool.map(run_suite, suites.values()))
    results = sorted((r for batch in batches for r in batch), key=lambda r: id_sort_key(r.id))
    run = {"started": started, "finished": datetime.now(timezone.utc).isoformat(),
           "endpoint": args.endpoint, "template": args.template,
           "requirements": args.requirements, "suites": sorted(suites),
           "language": args.language}
    report.write_json(str(Path(args.report_dir) / "conformance-report.json"), results, run)
    report.write_junit(str(Path(args.report_dir) / "junit.xml"), results, args.language)
    for line in report.summary_lines(results):
        out.write(line + "\n")
    out.flush()
    return 1 if any(report.is_blocking(r) for r in results) else 0
