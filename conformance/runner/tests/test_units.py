"""Variables, template/requirement loading, log checks, callback action selection, reports."""

import io
import json
import random
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.runner import report
from conformance.runner.callbacks import CallbackResponder, error_object
from conformance.runner.client import ClientError
from conformance.runner.loader import LoadError, load_requirements, parse_template
from conformance.runner.logs import build_records, check_logs
from conformance.runner.variables import Context

ARN = "arn:aws:lambda:us-east-1:000000000000:function:F:$LATEST/durable-execution/e/1"


class VariablesTest(unittest.TestCase):
    def test_gen_str_and_literals(self):
        ctx = Context(random.Random(1))
        ctx.resolve_variables({"A": "${GEN_STR:10}", "B": "lit ${GEN_STR:3}", "C": 7, "D": True})
        self.assertRegex(ctx.get("A"), r"^[a-z0-9]{10}$")
        self.assertEqual(ctx.get("B"), "lit ${GEN_STR:3}")
        self.assertEqual((ctx.get("C"), ctx.get("D")), ("7", "True"))

    def test_substitute_string_leaves_only(self):
        ctx = Context()
        ctx.resolve_variables({"X": "v"})
        value = {"${X}": ["a ${X} b", "${Y}", 3, None], "k": '"${X}"'}
        self.assertEqual(ctx.substitute(value),
                         {"${X}": ["a v b", "${Y}", 3, None], "k": '"v"'})


class LoaderTest(unittest.TestCase):
    TEMPLATE = """
AWSTemplateFormatVersion: '2010-09-09'
TestingMetadata:
  NotImplemented: [{id: 9-9, reason: legacy block}]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties: {Arn: !GetAtt [Role, Arn]}
  StepBasic:
    Type: AWS::Serverless::Function
    TestingMetadata:
      TestDescription: ["1-1"]
    Properties:
      Role: !GetAtt Role.Arn
      Environment: {Variables: {T: !Sub "${TargetEcho.Arn}:$LATEST", R: !Ref Role}}
  StepViaProperties:
    Type: AWS::Serverless::Function
    Properties:
      TestingMetadata:
        TestDescription: ["1-2", "1-3"]
        NotImplemented: [{id: 1-4, reason: not yet}]
  StepViaMetadata:
    Type: AWS::Serverless::Function
    Metadata:
      TestingMetadata: {TestDescription: ["1-5", "1-1"]}
  TargetEcho:
    Type: AWS::Serverless::Function
    Properties: {Handler: echo}
"""

    def test_template_sources_of_testing_metadata(self):
        template = parse_template(self.TEMPLATE)
        self.assertEqual(template.functions, {"1-1": "StepBasic", "1-2": "StepViaProperties",
                                              "1-3": "StepViaProperties",
                                              "1-5": "StepViaMetadata"})
        self.assertEqual(template.not_implemented, {"1-4": "not yet", "9-9": "legacy block"})
        self.assertTrue(any("1-1 mapped to StepBasic and StepViaMetadata" in w
                            for w in template.warnings))

    def test_requirements_tree(self):
        with tempfile.TemporaryDirectory() as root:
            for rel in ("step/1-1.yaml", "step/1-2.yaml", "wait/2-1.yaml"):
                path = Path(root, rel)
                path.parent.mkdir(exist_ok=True)
                path.write_text("---\nInput: x\nAsyncInvoke: true\n")
            Path(root, "empty").mkdir()
            found = load_requirements(root)
            self.assertEqual(sorted(found), ["1-1", "1-2", "2-1"])
            self.assertEqual(found["2-1"].suite, "wait")
            self.assertTrue(found["1-1"].asynchronous)
            Path(root, "wait/1-1.yaml").write_text("Input: y\n")
            with self.assertRaises(LoadError):
                load_requirements(root)


def line(ts, payload, **extra):
    message = payload if isinstance(payload, str) else json.dumps(payload)
    return dict({"timestamp": ts, "stream": "stdout", "message": message}, **extra)


class LogsTest(unittest.TestCase):
    def records(self):
        return build_records([
            line(30, {"durableExecutionArn": ARN, "hook": "end", "n": 2, "ok": True}),
            line(10, {"durableExecutionArn": ARN, "hook": "start", "n": 1, "ok": False,
                      "message": "  Greeting abc  "}),
            line(20, {"executionArn": ARN, "hook": "mid", "when": "2026-01-01T00:00:00Z"}),
            line(15, {"durableExecutionArn": "other", "hook": "start"}),
            line(16, "plain text without owner"),
            line(17, "  [ERROR] plain tagged  ", executionArn=ARN),
        ], ARN)

    def test_records_are_scoped_to_the_execution_and_sorted(self):
        records = self.records()
        self.assertEqual([r["ts"] for r in records], [10, 17, 20, 30])
        self.assertEqual(records[1]["fields"], {"message": "[ERROR] plain tagged"})

    def check(self, entries, ctx=None):
        return check_logs(entries, self.records(), ctx or Context())

    def test_field_kinds(self):
        self.assertEqual(self.check([{"match": {"message": "Greeting abc"}, "count": 1}]), [])
        self.assertEqual(self.check([{"match": {"message": "/^Greet/"}, "count": 1}]), [])
        self.assertEqual(self.check([{"match": {"when": r"/^\d{4}-/"}}]), [])
        self.assertEqual(self.check([{"match": {"hook": "/(?i)START/"}, "count": 1}]), [])
        self.assertEqual(self.check([{"match": {"ok": True}, "count": 1}]), [])
        self.assertEqual(self.check([{"match": {"ok": False}, "count": 1}]), [])
        self.assertEqual(self.check([{"match": {"n": 2.0}, "count": 1}]), [])
        self.assertTrue(self.check([{"match": {"n": "2"}, "count": 1}]) == [])  # str(2) == "2"
        self.assertTrue(self.check([{"match": {"ok": "/.*/"}, "count": 2}]) == [])
        self.assertTrue(self.check([{"match": {"missing": "/.*/"}}]))  # key must exist

    def test_booleans_need_json_booleans_and_numbers_need_numbers(self):
        records = build_records([line(1, {"executionArn": ARN, "b": 1, "n": "1"})], ARN)
        self.assertTrue(check_logs([{"match": {"b": True}}], records, Context()))
        self.assertTrue(check_logs([{"match": {"n": 1}}], records, Context()))

    def test_cardinality(self):
        self.assertIn("exactly 2", self.check([{"match": {"hook": "start"}, "count": 2}])[0])
        self.assertEqual(self.check([{"match": {"hook": "nope"}, "count": 0}]), [])
        self.assertIn("at least 1", self.check([{"match": {"hook": "nope"}}])[0])
        self.assertIn("at least 2", self.check([{"match": {"hook": "end"}, "min_count": 2}])[0])
        self.assertIn("at most 0", self.check([{"match": {"hook": "end"}, "max_count": 0}])[0])
        self.assertEqual(self.check([{"match": {"hook": "/./"}, "min_count": 2,
                                      "max_count": 3}]), [])

    def test_before_and_after(self):
        self.assertEqual(self.check([{"match": {"hook": "end"}, "after": {"hook": "start"}}]), [])
        self.assertEqual(self.check([{"match": {"hook": "start"},
                                      "before": [{"hook": "mid"}, {"hook": "end"}]}]), [])
        self.assertIn("sorts before", self.check([{"match": {"hook": "start"},
                                                   "after": [{"hook": "end"}]}])[0])
        self.assertIn("sorts after", self.check([{"match": {"hook": "end"},
                                                  "before": {"hook": "mid"}}])[0])
        self.assertIn("matches no record", self.check([{"match": {"hook": "end"},
                                                        "after": {"hook": "zzz"}}])[0])

    def test_equal_timestamps_are_simultaneous(self):
        records = build_records([line(5, {"executionArn": ARN, "h": "a"}),
                                 line(5, {"executionArn": ARN, "h": "b"})], ARN)
        entries = [{"match": {"h": "a"}, "after": {"h": "b"}},
                   {"match": {"h": "b"}, "before": {"h": "a"}}]
        self.assertEqual(check_logs(entries, records, Context()), [])

    def test_substitution_and_invalid_entries(self):
        ctx = Context()
        ctx.resolve_variables({"WHO": "abc"})
        self.assertEqual(self.check([{"match": {"message": "/Greeting ${WHO}/"}}], ctx), [])
        self.assertTrue(self.check([{"match": {"message": "/Greeting ${OTHER}/"}}], ctx))
        self.assertIn("invalid entry", self.check([{"count": 1}])[0])
        self.assertIn("invalid entry", self.check([{"match": {}}])[0])


class FakeCallbackClient:
    def __init__(self, fail_on=()):
        self.calls = []
        self.fail_on = fail_on

    def _record(self, *call):
        if call[0] in self.fail_on:
            raise ClientError("Send", 409, "CallbackTimeoutException", "already timed out")
        self.calls.append(call)

    def callback_success(self, cid, body):
        self._record("success", cid, body)

    def callback_failure(self, cid, error):
        self._record("failure", cid, error)

    def callback_heartbeat(self, cid):
        self._record("heartbeat", cid)


def started(cid, name=None):
    event = {"EventType": "CallbackStarted", "CallbackStartedDetails": {"CallbackId": cid}}
    if name is not None:
        event["Name"] = name
    return event


class CallbacksTest(unittest.TestCase):
    def responder(self, actions, client=None, variables=None):
        ctx = Context()
        ctx.resolve_variables(variables or {})
        self.sleeps = []
        return CallbackResponder(client or FakeCallbackClient(), actions, ctx, self.sleeps.append)

    def test_success_body_is_python_json_dumps(self):
        client = FakeCallbackClient()
        r = self.responder([{"CallbackName": "*", "Operation": "SUCCESS",
                             "Payload": {"status": "approved"}, "Delay": 1}], client)
        r.process([started("c1")])
        self.assertEqual(client.calls, [("success", "c1", b'{"status": "approved"}')])
        self.assertEqual(self.sleeps, [1.0])
        r.process([started("c1")])
        self.assertEqual(len(client.calls), 1)  # handled once

    def test_success_without_payload_sends_empty_body_and_strings_are_quoted(self):
        client = FakeCallbackClient()
        r = self.responder([{"CallbackName": "${N}", "Operation": "success"},
                            {"CallbackName": "${N}", "Operation": "success", "Payload": "${P}"}],
                           client, {"N": "name", "P": "pay"})
        r.process([started("c1", "name"), started("c2", "name")])
        self.assertEqual(client.calls, [("success", "c1", b""), ("success", "c2", b'"pay"')])

    def test_failure_builds_error_object(self):
        client = FakeCallbackClient()
        r = self.responder([{"CallbackName": "n", "Operation": "failure",
                             "Payload": {"ErrorType": "RejectedError", "ErrorMessage": "no",
                                         "Other": 1}}], client)
        r.process([started("c1", "n")])
        self.assertEqual(client.calls,
                         [("failure", "c1", {"ErrorType": "RejectedError", "ErrorMessage": "no"})])
        with self.assertRaises(ValueError):
            error_object("not a mapping")

    def test_heartbeat_keeps_callback_open_for_next_poll(self):
        client = FakeCallbackClient()
        r = self.responder([{"CallbackName": "n", "Operation": "heartbeat"},
                            {"CallbackName": "n", "Operation": "success", "Payload": 1}], client)
        r.process([started("c1", "n")])
        self.assertEqual(client.calls, [("heartbeat", "c1")])
        r.process([started("c1", "n")])
        self.assertEqual(client.calls[1], ("success", "c1", b"1"))

    def test_history_order_and_first_unused_action(self):
        client = FakeCallbackClient()
        r = self.responder([{"CallbackName": "B", "Operation": "success", "Delay": 4},
                            {"CallbackName": "${/^A$/}", "Operation": "success", "Delay": 1}],
                           client)
        r.process([started("a", "A"), started("b", "B")])
        self.assertEqual([c[1] for c in client.calls], ["a", "b"])
        self.assertEqual(self.sleeps, [1.0, 4.0])

    def test_no_actions_leaves_callbacks_open_without_error(self):
        client = FakeCallbackClient()
        r = self.responder(None, client)
        r.process([started("c1", "n")])
        self.assertEqual((client.calls, r.errors), ([], []))

    def test_unmatched_callback_and_send_errors_are_recorded(self):
        r = self.responder([{"CallbackName": "x", "Operation": "success"}])
        r.process([started("c1", "y")])
        self.assertIn("no unused CallbackAction matches", r.errors[0])
        r = self.responder([{"CallbackName": "*", "Operation": "success"}],
                           FakeCallbackClient(fail_on=("success",)))
        r.process([started("c1")])
        self.assertIn("CallbackTimeoutException", r.errors[0])
        r = self.responder([{"CallbackName": "*", "Operation": "failure", "Payload": "bad"}])
        r.process([started("c1")])
        self.assertIn("must be a mapping", r.errors[0])


class ReportTest(unittest.TestCase):
    def test_summary_json_and_junit(self):
        results = [report.Result("1-1", "step", report.PASSED),
                   report.Result("1-2", "step", report.FAILED, errors=["boom"]),
                   report.Result("1-7", "step", report.OPTIONAL_FAILED, errors=["x"]),
                   report.Result("2-1", "wait", report.NOT_IMPLEMENTED, reason="later"),
                   report.Result("2-2", "wait", report.UNCOVERED)]
        lines = report.summary_lines(results)
        self.assertEqual(lines[-1], "1 passed, 2 failed")
        with tempfile.TemporaryDirectory() as d:
            report.write_json(f"{d}/r.json", results, {"language": "cpp"})
            doc = json.loads(Path(d, "r.json").read_text())
            self.assertEqual(doc["summary"]["UNCOVERED"], 1)
            self.assertEqual(doc["results"][1]["errors"], ["boom"])
            report.write_junit(f"{d}/j.xml", results)
            root = ET.parse(f"{d}/j.xml").getroot()
            cases = {c.get("name"): c for c in root.iter("testcase")}
            self.assertEqual(cases["1-1"].get("classname"), "cpp.step")
            self.assertIsNotNone(cases["1-2"].find("failure"))
            self.assertIsNotNone(cases["2-2"].find("skipped"))
        out = io.StringIO()
        report.print_result(results[1], out)
        self.assertIn("FAILED", out.getvalue())
        self.assertIn("- boom", out.getvalue())


if __name__ == "__main__":
    unittest.main()
