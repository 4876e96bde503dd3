"""A lenient runner proves nothing: synthesized passing histories must fail once altered."""

import copy
import random
import unittest

from conformance.runner import flows
from conformance.runner.matcher import inherit_wait_for_callback_names
from conformance.runner.tests import support
from conformance.runner.tests.synth import Synthesizer, literal_paths, set_path
from conformance.runner.variables import Context

# At least one requirement of every suite, sync, async, callbacks, errors, history-only.
SAMPLE = ["1-1", "1-15", "1-18", "2-3", "2-4", "3-4", "3-6", "4-1", "4-6", "4-18", "5-5", "5-8",
          "6-5", "7-4", "7-11", "8-6", "9-14", "10-2"]
SENTINEL = "zz-altered"


class Case:
    """One requirement, the verdict context, and a history + execution that satisfy it."""

    def __init__(self, requirement_id: str):
        self.requirement = support.requirement(requirement_id)
        data = self.requirement.data
        base = Context(random.Random(requirement_id))
        base.resolve_variables(data.get("Variables"))
        self.base = base
        synth = Synthesizer(base.copy())
        self.history = synth.history(data)
        self.execution = synth.execution(data)
        self.expected = data.get("ExpectedExecutionHistory") or []

    def verdict(self, history=None, execution=None) -> list:
        """History then ExpectedResult, first failing stage wins (as the flows do)."""
        ctx = self.base.copy()
        events = (history or self.history)["Events"]
        if self.requirement.asynchronous:
            events = inherit_wait_for_callback_names(events)
        errors = flows.check_history(self.requirement, events, ctx)
        if not errors:
            errors = flows.check_result(self.requirement, execution or self.execution, ctx)
        return errors

    def altered(self):
        return copy.deepcopy(self.history)

    def event(self, history, event_id):
        return next(e for e in history["Events"] if e["EventId"] == event_id)


class StrictnessTest(unittest.TestCase):
    def setUp(self):
        support.requirements()

    def test_sample_covers_every_suite(self):
        suites = {support.requirement(i).suite for i in SAMPLE}
        self.assertEqual(suites, {r.suite for r in support.requirements().values()})

    def test_synthesized_histories_pass(self):
        for rid in SAMPLE:
            with self.subTest(rid):
                self.assertEqual(Case(rid).verdict(), [])

    def test_every_requirement_can_pass(self):
        """The synthesizer and the matcher agree on all requirements, not only the sample."""
        for rid in support.requirements():
            with self.subTest(rid):
                self.assertEqual(Case(rid).verdict(), [])

    def test_events_out_of_order_fail(self):
        for rid in SAMPLE:
            with self.subTest(rid):
                case = Case(rid)
                pair = next(((a, b) for a, b in zip(case.expected, case.expected[1:])
                             if a["EventType"] != b["EventType"]), None)
                if pair is None:
                    continue
                history = case.altered()
                first = case.event(history, pair[0]["EventId"])
                second = case.event(history, pair[1]["EventId"])
                first["EventId"], second["EventId"] = second["EventId"], first["EventId"]
                errors = case.verdict(history)
                self.assertTrue(errors, f"{rid}: swapped EventIds still pass")
                self.assertIn(f"EventId {pair[0]['EventId']}", "\n".join(errors))

    def test_missing_details_key_fails(self):
        for rid in SAMPLE:
            with self.subTest(rid):
                case = Case(rid)
                expected = case.expected[-1]
                key = f"{expected['EventType']}Details"
                history = case.altered()
                del case.event(history, expected["EventId"])[key]
                errors = case.verdict(history)
                self.assertTrue(any(key in e and "key missing" in e for e in errors), errors)

    def test_missing_event_fails(self):
        for rid in SAMPLE:
            with self.subTest(rid):
                case = Case(rid)
                target = case.expected[len(case.expected) // 2]["EventId"]
                history = case.altered()
                history["Events"] = [e for e in history["Events"] if e["EventId"] != target]
                errors = case.verdict(history)
                self.assertTrue(any(f"EventId {target} " in e and "no actual event" in e
                                    for e in errors), errors)

    def test_wrong_literal_leaf_fails(self):
        """Every literal (payloads, ErrorTypes, durations, attempts, names) is really compared."""
        checked = 0
        for rid in SAMPLE:
            case = Case(rid)
            for expected in case.expected:
                for path, _ in literal_paths(expected):
                    if path[0] == "EventId":
                        continue
                    with self.subTest(rid=rid, event=expected["EventId"], path=path):
                        history = case.altered()
                        set_path(case.event(history, expected["EventId"]), path, SENTINEL)
                        errors = case.verdict(history)
                        self.assertTrue(errors, f"{rid} {path} altered but passed")
                        self.assertIn(str(path[-1]), "\n".join(errors))
                        checked += 1
        self.assertGreater(checked, 100)

    def test_wrong_payload_fails(self):
        case = Case("7-11")
        history = case.altered()
        details = case.event(history, 7)["CallbackSucceededDetails"]
        details["Result"]["Payload"] = '{"status":"approved"}'  # same JSON, other spacing
        errors = case.verdict(history)
        self.assertEqual(len(errors), 1)
        self.assertIn("CallbackSucceededDetails.Result.Payload", errors[0])

    def test_missing_callback_event_fails(self):
        for rid in ("4-1", "4-6", "4-18", "7-4", "7-11"):
            with self.subTest(rid):
                case = Case(rid)
                history = case.altered()
                callbacks = [e for e in history["Events"]
                             if e["EventType"].startswith("Callback")
                             and e["EventType"] != "CallbackStarted"]
                history["Events"].remove(callbacks[0])
                errors = case.verdict(history)
                self.assertTrue(any(f"EventId {callbacks[0]['EventId']} " in e for e in errors))

    def test_wrong_error_type_fails(self):
        for rid, event_id, details in (("4-6", 4, "CallbackFailedDetails"),
                                       ("1-18", 3, "InvocationCompletedDetails"),
                                       ("1-15", 3, "StepFailedDetails")):
            with self.subTest(rid):
                case = Case(rid)
                history = case.altered()
                case.event(history, event_id)[details]["Error"]["Payload"]["ErrorType"] = \
                    "ValueError"
                errors = case.verdict(history)
                self.assertTrue(any(f"{details}.Error.Payload.ErrorType" in e for e in errors),
                                errors)

    def test_inconsistent_placeholder_fails(self):
        case = Case("1-1")
        history = case.altered()
        case.event(history, 3)["Id"] = "another-step"
        errors = case.verdict(history)
        self.assertTrue(any("placeholder ${ID1}" in e for e in errors), errors)

    def test_missing_name_for_placeholder_fails(self):
        case = Case("3-6")
        named = next(e for e in case.expected if "Name" in e)
        history = case.altered()
        del case.event(history, named["EventId"])["Name"]
        errors = case.verdict(history)
        self.assertTrue(any(".Name: key missing" in e for e in errors), errors)

    def test_wrong_result_and_status_fail(self):
        case = Case("1-1")
        wrong = dict(case.execution, Result='"Hello, Moon!"')
        self.assertIn("Result", case.verdict(execution=wrong)[0])
        failed = dict(case.execution, Status="FAILED")
        self.assertIn("ExecutionStatus", case.verdict(execution=failed)[0])

    def test_extra_events_and_keys_are_ignored(self):
        case = Case("8-6")
        history = case.altered()
        last = history["Events"][-1]["EventId"]
        history["Events"].append({"EventType": "ExecutionSucceeded", "EventId": last + 1,
                                  "EventTimestamp": 1.0, "ExecutionSucceededDetails": {}})
        for event in history["Events"]:
            event["AnotherKey"] = {"nested": True}
        self.assertEqual(case.verdict(history), [])


if __name__ == "__main__":
    unittest.main()
