"""Sync and async flows against a scripted fake engine: wire bytes, callbacks, logs, verdicts."""

import io
import json
import random
import tempfile
import time
import unittest
from pathlib import Path

from conformance.runner import cli
from conformance.runner.client import Client
from conformance.runner.flows import Options, run_requirement
from conformance.runner.tests import support
from conformance.runner.tests.fake_engine import FakeEngine

CALLBACK_ID = "cb/1:x$"  # needs percent-encoding as a path label


def greeting_step(engine, execution, extra_logs=()):
    """1-7: one step greeting the input, logging through the step logger."""
    who = execution.input
    greeting = f"Hello, {who}!"
    for message in (f"Greeting step started for: {who}",
                    f"Greeting step completed with: {greeting}"):
        engine.log(execution, {"level": "INFO", "message": message,
                               "durableExecutionArn": execution.arn})
    for record in extra_logs:
        engine.log(execution, dict(record, durableExecutionArn=execution.arn))
    execution.add("StepStarted", SubType="Step", Id="s1")
    execution.add("StepSucceeded", SubType="Step", Id="s1",
                  StepSucceededDetails={"Result": {"Payload": json.dumps(greeting)}})
    execution.finish(greeting)


def open_callback(engine, execution, name_key="Name"):
    """4-x: create a callback named by the input and suspend."""
    fields = {"SubType": "Callback", "Id": "c1", "CallbackStartedDetails": {
        "CallbackId": CALLBACK_ID, "HeartbeatTimeout": 10}}
    if name_key:
        fields[name_key] = execution.input
    execution.add("CallbackStarted", **fields)
    execution.add("InvocationCompleted")
    engine.open_callback(execution, CALLBACK_ID)


def answer_callback(engine, execution, verb, callback_id, body):
    base = {"SubType": "Callback", "Id": "c1", "Name": execution.input}
    if verb == "heartbeat":
        return
    if verb == "succeed":
        execution.add("CallbackSucceeded", CallbackSucceededDetails={
            "Result": {"Payload": body.decode("utf-8"), "Truncated": False}}, **base)
        execution.finish(json.loads(body) if body else None)
    else:
        error = json.loads(body)
        execution.add("CallbackFailed", CallbackFailedDetails={"Error": {"Payload": error}},
                      **base)
        execution.finish(error=error)


def wait_for_callback(engine, execution):
    """7-11: a WaitForCallback context whose children carry no Name."""
    execution.add("ContextStarted", SubType="WaitForCallback", Id="w1", Name=execution.input)
    execution.add("CallbackStarted", SubType="Callback", Id="c1", ParentId="w1",
                  CallbackStartedDetails={"CallbackId": CALLBACK_ID})
    execution.add("StepStarted", SubType="Step", Id="s1", ParentId="w1")
    execution.add("StepSucceeded", SubType="Step", Id="s1", ParentId="w1")
    execution.add("InvocationCompleted")
    engine.open_callback(execution, CALLBACK_ID)


def wait_for_callback_answer(engine, execution, verb, callback_id, body):
    execution.add("CallbackSucceeded", SubType="Callback", Id="c1", ParentId="w1",
                  CallbackSucceededDetails={"Result": {"Payload": body.decode("utf-8")}})
    execution.add("ContextSucceeded", SubType="WaitForCallback", Id="w1", Name=execution.input)
    execution.finish(json.loads(body)["status"])


class FlowTest(unittest.TestCase):
    def setUp(self):
        support.requirements()
        self.sleeps = []

    def opts(self, **kw):
        def sleep(seconds):
            self.sleeps.append(seconds)
            time.sleep(min(seconds, 0.01))
        base = dict(poll_interval=0.05, no_progress_timeout=1.0, log_settle=0, log_timeout=0,
                    sleep=sleep, rng=random.Random(7))
        base.update(kw)
        return Options(**base)

    def run_id(self, engine, rid, **kw):
        client = Client(engine.endpoint, timeout=5, invoke_timeout=5)
        return run_requirement(support.requirement(rid), client, "Fn", self.opts(**kw))

    def test_sync_flow_with_logs_passes(self):
        with FakeEngine(greeting_step) as engine:
            outcome = self.run_id(engine, "1-7")
        self.assertEqual(outcome.errors, [])
        invoke = engine.requests[0]
        self.assertEqual(invoke["path"], "/2015-03-31/functions/Fn/invocations?Qualifier=%24LATEST")
        self.assertEqual(invoke["headers"]["X-Amz-Invocation-Type"], "RequestResponse")
        self.assertEqual(invoke["body"], json.dumps(outcome.bindings["INPUT_1"]).encode())
        history = engine.requests[1]["path"]
        self.assertTrue(history.startswith("/2025-12-01/durable-executions/arn%3Aaws%3Alambda"))
        self.assertIn("%3A%24LATEST%2Fdurable-execution%2F", history)
        self.assertTrue(history.endswith("/history?IncludeExecutionData=true"))
        self.assertTrue(any(r["path"].startswith("/durable/v1/functions/Fn/logs?since=")
                            for r in engine.requests))

    def test_sync_flow_fails_on_forbidden_log_line(self):
        with FakeEngine(lambda e, x: greeting_step(e, x, [{"message": "[ERROR] oops"}])) as engine:
            outcome = self.run_id(engine, "1-7")
        self.assertFalse(outcome.passed)
        self.assertIn("\\\\[ERROR\\\\]", outcome.errors[0])
        self.assertIn("expected exactly 0 record(s), got 1", outcome.errors[0])

    def test_sync_flow_ignores_logs_of_other_executions(self):
        def scenario(engine, execution):
            greeting_step(engine, execution)
            engine.log_lines.append(("Fn", {"timestamp": 1, "message": json.dumps(
                {"message": "[ERROR] other", "durableExecutionArn": "arn:other"})}))
        with FakeEngine(scenario) as engine:
            self.assertEqual(self.run_id(engine, "1-7").errors, [])

    def test_sync_flow_reports_wrong_result(self):
        def scenario(engine, execution):
            greeting_step(engine, execution)
            execution.result = json.dumps("Hello, nobody!")
        with FakeEngine(scenario) as engine:
            outcome = self.run_id(engine, "1-1")
        self.assertEqual(len(outcome.errors), 1)
        self.assertIn("ExpectedResult: Result 'Hello, World!' expected, got 'Hello, nobody!'",
                      outcome.errors[0])

    def test_history_stage_wins_over_result(self):
        def scenario(engine, execution):
            execution.add("StepStarted", SubType="Step", Id="s1")
            execution.finish("Hello, World!")  # StepSucceeded missing
        with FakeEngine(scenario) as engine:
            outcome = self.run_id(engine, "1-1")
        self.assertFalse(outcome.passed)
        self.assertTrue(all("EventId" in e for e in outcome.errors), outcome.errors)

    def test_async_callback_success(self):
        with FakeEngine(open_callback, answer_callback) as engine:
            outcome = self.run_id(engine, "4-1")
        self.assertEqual(outcome.errors, [])
        invoke = engine.requests[0]
        self.assertEqual(invoke["headers"]["X-Amz-Invocation-Type"], "Event")
        sent = [r for r in engine.requests if "durable-execution-callbacks" in r["path"]]
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["path"],
                         "/2025-12-01/durable-execution-callbacks/cb%2F1%3Ax%24/succeed")
        self.assertEqual(sent[0]["body"], json.dumps(outcome.bindings["CB_PAYLOAD"]).encode())
        self.assertIn(1.0, self.sleeps)  # the action's Delay

    def test_async_wait_for_callback_sends_exact_json_dumps_bytes(self):
        with FakeEngine(wait_for_callback, wait_for_callback_answer) as engine:
            outcome = self.run_id(engine, "7-11")
        self.assertEqual(outcome.errors, [])
        sent = [r for r in engine.requests if r["path"].endswith("/succeed")]
        self.assertEqual(sent[0]["body"], b'{"status": "approved"}')

    def test_async_engine_reencoding_payload_fails(self):
        def reencode(engine, execution, verb, cid, body):
            compact = json.dumps(json.loads(body), separators=(",", ":")).encode()
            wait_for_callback_answer(engine, execution, verb, cid, compact)
        with FakeEngine(wait_for_callback, reencode) as engine:
            outcome = self.run_id(engine, "7-11")
        self.assertEqual(len(outcome.errors), 1)
        self.assertIn("EventId 7", outcome.errors[0])
        self.assertIn("'{\"status\":\"approved\"}'", outcome.errors[0])

    def test_async_heartbeat_then_success_on_next_poll(self):
        with FakeEngine(open_callback, answer_callback) as engine:
            outcome = self.run_id(engine, "4-5")
        self.assertEqual(outcome.errors, [])
        verbs = [r["path"].rsplit("/", 1)[1] for r in engine.requests
                 if "durable-execution-callbacks" in r["path"]]
        self.assertEqual(verbs, ["heartbeat", "succeed"])
        heartbeat = next(r for r in engine.requests if r["path"].endswith("/heartbeat"))
        self.assertEqual(heartbeat["body"], b"")

    def test_async_failure_sends_error_object(self):
        with FakeEngine(open_callback, answer_callback) as engine:
            outcome = self.run_id(engine, "4-6")
        self.assertEqual(outcome.errors, [])
        sent = next(r for r in engine.requests if r["path"].endswith("/fail"))
        self.assertEqual(json.loads(sent["body"]),
                         {"ErrorType": "RejectedError", "ErrorMessage": "not approved"})

    def test_async_unmatched_callback_name_fails(self):
        with FakeEngine(lambda e, x: open_callback(e, x, name_key=None), answer_callback) as eng:
            outcome = self.run_id(eng, "4-1")
        self.assertTrue(any("no unused CallbackAction matches" in e for e in outcome.errors))
        self.assertTrue(any("no new events" in e for e in outcome.errors))

    def test_async_history_only_passes_at_suspension(self):
        def suspend(engine, execution):
            execution.add("WaitStarted", SubType="Wait", Id="w1",
                          WaitStartedDetails={"Duration": 60})
            execution.add("InvocationCompleted")
        with FakeEngine(suspend) as engine:
            outcome = self.run_id(engine, "2-4")
        self.assertEqual(outcome.errors, [])
        polls = [r for r in engine.requests if r["path"].endswith("IncludeExecutionData=true")]
        self.assertEqual(len(polls), 1)

    def test_async_history_only_wrong_duration_times_out(self):
        def suspend(engine, execution):
            execution.add("WaitStarted", SubType="Wait", Id="w1",
                          WaitStartedDetails={"Duration": 61})
            execution.add("InvocationCompleted")
        with FakeEngine(suspend) as engine:
            outcome = self.run_id(engine, "2-4", no_progress_timeout=0.2)
        self.assertTrue(any("no new events for 0.2 s" in e for e in outcome.errors))
        self.assertTrue(any("WaitStartedDetails.Duration: expected 60, got 61" in e
                            for e in outcome.errors))

    def test_missing_arn_header_fails(self):
        with FakeEngine(greeting_step) as engine:
            engine.invoke = lambda *a: (200, {}, b"null")
            outcome = self.run_id(engine, "1-1")
        self.assertIn("X-Amz-Durable-Execution-Arn", outcome.errors[0])


class CliTest(unittest.TestCase):
    def test_end_to_end_reports(self):
        support.requirements()
        template = """
Resources:
  Greeter:
    Type: AWS::Serverless::Function
    TestingMetadata: {TestDescription: ["1-1", "1-7"]}
  Callback:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Role.Arn
      TestingMetadata:
        TestDescription: ["4-1"]
        NotImplemented: [{id: "4-2", reason: "later"}]
"""
        def on_invoke(engine, execution):
            if execution.function == "Greeter":
                greeting_step(engine, execution, [{"message": "[ERROR] x"}])
            else:
                open_callback(engine, execution)

        with tempfile.TemporaryDirectory() as d, FakeEngine(on_invoke, answer_callback) as eng:
            Path(d, "t.yaml").write_text(template)
            out = io.StringIO()
            code = cli.main(["--endpoint", eng.endpoint, "--template", f"{d}/t.yaml",
                             "--requirements", support.REQUIREMENTS_DIR,
                             "--ids", "1-1,1-7,4-1,4-2,4-3", "--report-dir", f"{d}/r",
                             "--poll-interval", "0.05", "--log-settle", "0",
                             "--log-timeout", "0"], out)
            lines = out.getvalue().strip().splitlines()
            doc = json.loads(Path(d, "r/conformance-report.json").read_text())
            self.assertTrue(Path(d, "r/junit.xml").is_file())
            self.assertTrue(Path(d, "r/histories/4-1.json").is_file())
        statuses = {r["id"]: r["status"] for r in doc["results"]}
        self.assertEqual(statuses, {"1-1": "PASSED", "1-7": "OPTIONAL_FAILED", "4-1": "PASSED",
                                    "4-2": "NOT_IMPLEMENTED", "4-3": "UNCOVERED"})
        self.assertEqual(lines[-1], "2 passed, 1 failed")
        self.assertEqual(code, 1)

    def test_unknown_id_is_a_usage_error(self):
        support.requirements()
        with tempfile.TemporaryDirectory() as d:
            Path(d, "t.yaml").write_text("Resources: {}\n")
            out = io.StringIO()
            code = cli.main(["--endpoint", "http://127.0.0.1:9", "--template", f"{d}/t.yaml",
                             "--requirements", support.REQUIREMENTS_DIR, "--ids", "99-1"], out)
        self.assertEqual(code, 2)
        self.assertIn("unknown id(s): 99-1", out.getvalue())


if __name__ == "__main__":
    unittest.main()
