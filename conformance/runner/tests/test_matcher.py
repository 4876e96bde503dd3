"""One test per matcher rule of conformance spec 1.4, plus status detection and name inheritance."""

import unittest

from conformance.runner.matcher import (execution_status, inherit_wait_for_callback_names,
                                        match_history, match_value)
from conformance.runner.variables import Context


def check(expected, actual, ctx=None):
    errors: list = []
    match_value(expected, actual, ctx or Context(), "v", errors)
    return errors


class MatchValueTest(unittest.TestCase):
    def test_empty_mapping_accepts_anything(self):
        for actual in ({}, {"a": 1}, "text", None, [1]):
            self.assertEqual(check({}, actual), [])

    def test_star_accepts_anything(self):
        for actual in ("x", 0, None, {"a": 1}, [], False):
            self.assertEqual(check("*", actual), [])

    def test_placeholder_binds_any_type_then_must_repeat(self):
        ctx = Context()
        self.assertEqual(check("${ID1}", {"k": [1]}, ctx), [])
        self.assertEqual(ctx.get("ID1"), {"k": [1]})
        self.assertEqual(check("${ID1}", {"k": [1]}, ctx), [])
        errors = check("${ID1}", {"k": [2]}, ctx)
        self.assertEqual(len(errors), 1)
        self.assertIn("placeholder ${ID1} is bound to", errors[0])

    def test_placeholder_bound_by_variables_compares_exactly(self):
        ctx = Context()
        ctx.resolve_variables({"CB_NAME": "abc", "N": 5})
        self.assertEqual(check("${CB_NAME}", "abc", ctx), [])
        self.assertTrue(check("${CB_NAME}", "abcd", ctx))
        self.assertTrue(check("${N}", 5, ctx))  # non-string variables bind as strings
        self.assertEqual(check("${N}", "5", ctx), [])

    def test_no_distinctness_between_placeholders(self):
        ctx = Context()
        self.assertEqual(check(["${ID1}", "${ID2}"], ["same", "same"], ctx), [])

    def test_regex_searches_str_of_actual(self):
        self.assertEqual(check("${/^[0-5]$/}", 3), [])
        self.assertTrue(check("${/^[0-5]$/}", 7))
        self.assertEqual(check("${/.*TransientError$/}", "MyTransientError"), [])
        self.assertTrue(check("${/.*TransientError$/}", "TransientErrorX"))
        self.assertEqual(check("${/None/}", None), [])
        self.assertEqual(check("${/True/}", True), [])
        self.assertEqual(check("${/wrapped/}", "x-wrapped-y"), [])  # search, not match

    def test_regex_is_not_a_placeholder(self):
        ctx = Context()
        self.assertEqual(check("${/abc/}", "xabcx", ctx), [])
        self.assertEqual(ctx.bindings, {})

    def test_mapping_requires_every_expected_key_even_wildcards(self):
        self.assertIn("key missing", check({"A": "*"}, {"B": 1})[0])
        self.assertIn("key missing", check({"D": {}}, {})[0])
        self.assertIn("v.Name: key missing", check({"Name": "${N1}"}, {"Id": "x"})[0])
        self.assertEqual(check({"A": "*"}, {"A": None, "Extra": 2}), [])

    def test_mapping_against_non_mapping_fails(self):
        self.assertTrue(check({"Payload": "1"}, "1"))

    def test_lists_must_have_same_length(self):
        self.assertEqual(check([1, "*"], [1, 2]), [])
        self.assertIn("list length", check([1], [1, 2])[0])
        self.assertIn("v[1]", check([1, 2], [1, 3])[0])

    def test_literals_use_python_equality(self):
        self.assertTrue(check("1", 1))
        self.assertEqual(check(1, 1.0), [])
        self.assertEqual(check(1, True), [])
        self.assertTrue(check(False, "false"))
        self.assertTrue(check(None, "null"))
        self.assertEqual(check(None, None), [])

    def test_literal_strings_substitute_bound_variables(self):
        ctx = Context()
        ctx.resolve_variables({"P": "abc"})
        self.assertEqual(check('"${P}"', '"abc"', ctx), [])
        self.assertTrue(check('"${P}"', "abc", ctx))
        self.assertEqual(check("x ${UNBOUND}", "x ${UNBOUND}", ctx), [])

    def test_rule_order_star_before_placeholder(self):
        ctx = Context()
        self.assertEqual(check({"Id": "*"}, {"Id": 1}, ctx), [])
        self.assertEqual(ctx.bindings, {})


class MatchHistoryTest(unittest.TestCase):
    ACTUAL = [
        {"EventType": "ExecutionStarted", "EventId": 1},
        {"EventType": "StepStarted", "EventId": 2, "Id": "s1", "StepStartedDetails": {}},
        {"EventType": "StepSucceeded", "EventId": 3, "Id": "s1", "StepSucceededDetails": {}},
    ]

    def test_matches_by_event_id_not_position(self):
        expected = [{"EventType": "StepSucceeded", "EventId": 3, "Id": "${ID1}"},
                    {"EventType": "StepStarted", "EventId": 2, "Id": "${ID1}"}]
        self.assertEqual(match_history(expected, self.ACTUAL, Context()), [])

    def test_missing_event_id_in_expectation(self):
        errors = match_history([{"EventType": "StepStarted"}], self.ACTUAL, Context())
        self.assertIn("without EventId", errors[0])

    def test_missing_actual_event(self):
        errors = match_history([{"EventType": "X", "EventId": 9}], self.ACTUAL, Context())
        self.assertIn("EventId 9 (X): no actual event", errors[0])

    def test_event_type_mismatch_names_both(self):
        errors = match_history([{"EventType": "StepFailed", "EventId": 3}], self.ACTUAL,
                               Context())
        self.assertIn("expected StepFailed, actual StepSucceeded", errors[0])

    def test_collects_all_errors(self):
        expected = [{"EventId": 2, "EventType": "A"}, {"EventId": 3, "EventType": "B"}]
        self.assertEqual(len(match_history(expected, self.ACTUAL, Context())), 2)


class StatusAndInheritanceTest(unittest.TestCase):
    def test_status_from_last_terminal_event(self):
        events = [{"EventType": "ExecutionStarted"}, {"EventType": "ExecutionFailed"}]
        self.assertEqual(execution_status({"Events": events}), "FAILED")
        self.assertEqual(execution_status({"Events": events[:1]}), None)
        self.assertEqual(execution_status({"Events": [{"EventType": "ExecutionStopped"}]}), None)
        self.assertEqual(execution_status({"ExecutionStatus": "X", "Events": events}), "X")
        for kind, status in (("ExecutionTimedOut", "TIMED_OUT"),
                             ("ExecutionCancelled", "CANCELLED")):
            self.assertEqual(execution_status({"Events": [{"EventType": kind}]}), status)

    def test_wait_for_callback_children_inherit_name(self):
        events = [
            {"EventType": "ContextStarted", "SubType": "WaitForCallback", "Id": "w", "Name": "n"},
            {"EventType": "CallbackStarted", "ParentId": "w", "Id": "c"},
            {"EventType": "StepStarted", "ParentId": "w", "Id": "s"},
            {"EventType": "StepSucceeded", "ParentId": "w", "Id": "s", "Name": "own"},
            {"EventType": "CallbackSucceeded", "ParentId": "w", "Id": "c"},
            {"EventType": "StepStarted", "ParentId": "other", "Id": "t"},
        ]
        named = inherit_wait_for_callback_names(events)
        self.assertEqual([e.get("Name") for e in named], ["n", "n", "n", "own", None, None])
        self.assertNotIn("Name", events[1])  # the input is not modified


if __name__ == "__main__":
    unittest.main()
