"""Runs one requirement against the engine: sync and async flows (conformance spec 1.6, 1.8).

run_requirement is re-entrant; each call owns its Context and callback state, so requirements
of different suites can run on different threads.
"""

import json
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from conformance.runner import logs as logs_mod
from conformance.runner.callbacks import CallbackResponder
from conformance.runner.client import ClientError
from conformance.runner.loader import Requirement
from conformance.runner.matcher import (execution_status, inherit_wait_for_callback_names,
                                        match_history)
from conformance.runner.variables import Context

ARN_HEADER = "X-Amz-Durable-Execution-Arn"


@dataclass
class Options:
    poll_interval: float = 2.0
    no_progress_timeout: float = 30.0
    history_dir: Optional[str] = None
    log_settle: float = 1.0  # seconds to let the last handler output reach the engine
    log_timeout: float = 5.0  # keep re-reading logs this long while the check fails
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    wall_ms: Callable[[], int] = lambda: int(time.time() * 1000)
    rng: Optional[random.Random] = None


@dataclass
class Outcome:
    passed: bool
    errors: list = field(default_factory=list)
    arn: Optional[str] = None
    history: Optional[dict] = None
    bindings: dict = field(default_factory=dict)


def check_history(requirement: Requirement, events: list, ctx: Context) -> list:
    return match_history(requirement.data.get("ExpectedExecutionHistory") or [], events, ctx)


def check_result(requirement: Requirement, execution: dict, ctx: Context) -> list:
    """ExpectedResult against a GetDurableExecution answer (status, then decoded Result)."""
    expected = requirement.data.get("ExpectedResult")
    if not isinstance(expected, dict):
        return []
    status = execution.get("Status")
    want = expected.get("ExecutionStatus")
    if want and status != want:
        detail = f" (Error={execution.get('Error')!r})" if execution.get("Error") else ""
        return [f"ExpectedResult: ExecutionStatus {want!r} expected, got {status!r}{detail}"]
    if status != "SUCCEEDED" or "Result" not in expected:
        return []
    raw = execution.get("Result")
    actual: Any = None
    if raw is not None:
        try:
            actual = json.loads(raw)
        except (TypeError, ValueError):
            actual = raw
    wanted = ctx.substitute(expected["Result"])
    if actual != wanted:
        return [f"ExpectedResult: Result {wanted!r} expected, got {actual!r} (raw {raw!r})"]
    return []


def check_logs(requirement: Requirement, client: Any, function: str, arn: str, since_ms: int,
               ctx: Context, opts: Options) -> list:
    expected = requirement.data.get("ExpectedLogs")
    if not expected:
        return []
    if opts.log_settle > 0:
        opts.sleep(opts.log_settle)
    deadline = opts.monotonic() + opts.log_timeout
    while True:
        records: list = []
        try:
            records = logs_mod.build_records(client.function_logs(function, since_ms), arn)
            errors = logs_mod.check_logs(expected, records, ctx)
        except ClientError as e:
            errors = [f"ExpectedLogs: {e}"]
        if not errors or opts.monotonic() >= deadline:
            if errors:
                errors.append(f"ExpectedLogs: {len(records)} record(s) of this execution seen")
            return errors
        opts.sleep(0.5)


def _save(requirement_id: str, history: dict, opts: Options) -> None:
    if not opts.history_dir:
        return
    os.makedirs(opts.history_dir, exist_ok=True)
    with open(os.path.join(opts.history_dir, f"{requirement_id}.json"), "w") as f:
        json.dump(history, f, indent=2, default=str)


def _events(history: dict) -> list:
    events = history.get("Events") if isinstance(history, dict) else None
    return events if isinstance(events, list) else []


def _invoke(requirement: Requirement, client: Any, function: str, ctx: Context,
            asynchronous: bool) -> str:
    payload = json.dumps(ctx.substitute(requirement.data.get("Input"))).encode("utf-8")
    answer = client.invoke(function, payload, asynchronous)
    arn = answer.header(ARN_HEADER)
    if not arn:
        raise ClientError("Invoke", answer.status, "MissingArn",
                          f"no {ARN_HEADER} header in the Invoke answer")
    return arn


def run_requirement(requirement: Requirement, client: Any, function: str,
                    opts: Optional[Options] = None) -> Outcome:
    opts = opts or Options()
    ctx = Context(opts.rng)
    ctx.resolve_variables(requirement.data.get("Variables"))
    since_ms = opts.wall_ms() - 1000
    outcome = Outcome(False)
    try:
        outcome.arn = _invoke(requirement, client, function, ctx, requirement.asynchronous)
        if requirement.asynchronous:
            _run_async(requirement, client, function, ctx, opts, since_ms, outcome)
        else:
            _run_sync(requirement, client, function, ctx, opts, since_ms, outcome)
    except ClientError as e:
        outcome.errors.append(str(e))
    outcome.passed = not outcome.errors
    outcome.bindings = dict(ctx.bindings)
    return outcome


def _verify(requirement, client, function, ctx, opts, since_ms, outcome, events) -> None:
    """History, then ExpectedResult, then ExpectedLogs; the first failing stage wins."""
    errors = check_history(requirement, events, ctx)
    if not errors:
        errors = check_result(requirement, client.get_execution(outcome.arn), ctx)
    if not errors:
        errors = check_logs(requirement, client, function, outcome.arn, since_ms, ctx, opts)
    outcome.errors.extend(errors)


def _run_sync(requirement, client, function, ctx, opts, since_ms, outcome) -> None:
    outcome.history = client.get_history(outcome.arn)
    _save(requirement.id, outcome.history, opts)
    _verify(requirement, client, function, ctx, opts, since_ms, outcome, _events(outcome.history))


def _run_async(requirement, client, function, ctx, opts, since_ms, outcome) -> None:
    config = requirement.data.get("AsyncConfig") or {}
    interval = float(config.get("PollIntervalSeconds", opts.poll_interval))
    quiet_limit = float(config.get("NoProgressTimeoutSeconds", opts.no_progress_timeout))
    history_only = "ExpectedResult" not in requirement.data
    responder = CallbackResponder(client, requirement.data.get("CallbackActions"), ctx,
                                  opts.sleep)
    last_count, last_progress = -1, opts.monotonic()
    while True:
        opts.sleep(interval)
        outcome.history = client.get_history(outcome.arn)
        events = _events(outcome.history)
        if execution_status(outcome.history) in ("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"):
            break
        if len(events) > last_count:
            last_count, last_progress = len(events), opts.monotonic()
        elif opts.monotonic() - last_progress >= quiet_limit:
            outcome.errors.append(f"no new events for {quiet_limit:g} s (execution not terminal, "
                                  f"{len(events)} events)")
            break
        named = inherit_wait_for_callback_names(events)
        responder.process(named)
        if history_only and not responder.errors:
            if not check_history(requirement, named, ctx.copy()):
                _save(requirement.id, outcome.history, opts)
                check_history(requirement, named, ctx)
                return
    _save(requirement.id, outcome.history or {}, opts)
    outcome.errors.extend(responder.errors)
    named = inherit_wait_for_callback_names(_events(outcome.history))
    _verify(requirement, client, function, ctx, opts, since_ms, outcome, named)
