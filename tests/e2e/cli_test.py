#!/usr/bin/env python3
"""The `durable` command end to end: serve, invoke, executions list|get|history|stop and
callbacks succeed|fail|heartbeat, in JSON and table output, against a real server running the
interop test's function process.

Usage: cli_test.py DURABLE_BIN
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

from serverproc import ServerProcess

DURABLE = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/durable")
HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "..", "interop", "template.yaml")


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="durable-cli-")
        cls.server = ServerProcess(DURABLE, cls.tmp.name, TEMPLATE, "cli.db").start()
        cls.endpoint = cls.server.endpoint

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def durable(self, *args, expect=0):
        r = subprocess.run([DURABLE, *args, "--endpoint", self.endpoint],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, expect, "%s\n%s%s" % (args, r.stdout, r.stderr))
        return r

    def callback_id(self, arn):
        deadline = time.time() + 15
        while time.time() < deadline:
            history = json.loads(self.durable("executions", "history", arn).stdout)
            for e in history["Events"]:
                if e["EventType"] == "CallbackStarted":
                    return e["CallbackStartedDetails"]["CallbackId"]
            time.sleep(0.05)
        self.fail("no CallbackStarted in " + arn)

    def test_sync_invoke_prints_the_result(self):
        out = json.loads(self.durable("invoke", "ApprovalFunction", "--payload",
                                      '{"who": "cli", "skipCallback": true}').stdout)
        self.assertEqual(out["StatusCode"], 200)
        self.assertEqual(out["Payload"], {"greeting": "hello cli"})
        self.assertIn(":function:ApprovalFunction:$LATEST/durable-execution/",
                      out["DurableExecutionArn"])

    def test_callback_flow_with_tables(self):
        out = json.loads(self.durable("invoke", "ApprovalFunction", "--async", "--name",
                                      "cli-approve", "--payload", '{"who": "ann"}').stdout)
        self.assertEqual(out["StatusCode"], 202)
        arn = out["DurableExecutionArn"]
        cb = self.callback_id(arn)
        self.durable("callbacks", "heartbeat", cb)
        self.durable("callbacks", "succeed", cb, "--payload", '{"ok": true}')
        deadline = time.time() + 15
        while json.loads(self.durable("executions", "get", arn).stdout)["Status"] != "SUCCEEDED":
            self.assertLess(time.time(), deadline)
            time.sleep(0.05)
        table = self.durable("executions", "get", arn, "--output", "table").stdout
        self.assertRegex(table, r"STATUS\s+SUCCEEDED")
        listing = self.durable("executions", "list", "--function", "ApprovalFunction",
                               "--status", "SUCCEEDED", "--output", "table").stdout
        self.assertRegex(listing.splitlines()[0], r"^NAME\s+STATUS\s+STARTED")
        self.assertIn("cli-approve", listing)
        history = self.durable("executions", "history", arn, "--output", "table").stdout
        for event in ("ExecutionStarted", "CallbackStarted", "CallbackSucceeded",
                      "ExecutionSucceeded"):
            self.assertIn(event, history)
        # The callback is closed: a late failure is refused with the AWS error, exit code 1.
        late = self.durable("callbacks", "fail", cb, "--error-type", "Late", expect=1)
        self.assertIn("CallbackTimeoutException", late.stderr)

    def test_fail_and_stop(self):
        arn = json.loads(self.durable("invoke", "ApprovalFunction", "--async", "--payload",
                                      '{"who": "bo"}').stdout)["DurableExecutionArn"]
        cb = self.callback_id(arn)
        self.durable("callbacks", "fail", cb, "--error-type", "Rejected", "--error-message", "no")
        deadline = time.time() + 15
        while True:
            ex = json.loads(self.durable("executions", "get", arn).stdout)
            if ex["Status"] == "FAILED":
                break
            self.assertLess(time.time(), deadline)
            time.sleep(0.05)
        self.assertEqual(ex["Error"]["ErrorType"], "Rejected")

        arn2 = json.loads(self.durable("invoke", "ApprovalFunction", "--async", "--payload",
                                       '{"who": "cy"}').stdout)["DurableExecutionArn"]
        self.callback_id(arn2)
        stopped = json.loads(self.durable("executions", "stop", arn2, "--error-type", "Cancelled")
                             .stdout)
        self.assertIn("StopTimestamp", stopped)
        self.assertEqual(json.loads(self.durable("executions", "get", arn2).stdout)["Status"],
                         "STOPPED")

    def test_errors_are_reported_with_the_aws_type(self):
        r = self.durable("executions", "get", "arn:aws:lambda:us-east-1:123456789012:function:"
                         "ApprovalFunction:$LATEST/durable-execution/a/b", expect=1)
        self.assertIn("ResourceNotFoundException", r.stderr)
        r = self.durable("invoke", "NoSuchFunction", expect=1)
        self.assertIn("ResourceNotFoundException", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]])
