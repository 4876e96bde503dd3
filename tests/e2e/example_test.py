#!/usr/bin/env python3
"""The README's C++ example (examples/hello) end to end with the `durable` command: a step, a
5 s durable wait and a callback, run as a Lambda custom runtime `bootstrap` under durable serve.

Usage: example_test.py DURABLE_BIN HELLO_BOOTSTRAP
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

from serverproc import ServerProcess

DURABLE = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/durable")
BOOTSTRAP = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "build/examples/hello/bootstrap")
TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples",
                        "hello", "template.yaml")


class HelloExampleTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="durable-example-")
        with open(TEMPLATE) as f:
            text = re.sub(r"CodeUri: .*", "CodeUri: " + os.path.dirname(BOOTSTRAP), f.read())
        template = os.path.join(self.tmp.name, "template.yaml")
        with open(template, "w") as f:
            f.write(text)
        self.server = ServerProcess(DURABLE, self.tmp.name, template, "hello.db").start()
        self.endpoint = self.server.endpoint

    def tearDown(self):
        self.server.stop()
        self.tmp.cleanup()

    def durable(self, *args):
        r = subprocess.run([DURABLE, *args, "--endpoint", self.endpoint], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_step_wait_and_callback(self):
        arn = self.durable("invoke", "Hello", "--async", "--payload",
                           '{"name": "Ada"}')["DurableExecutionArn"]
        deadline = time.time() + 30
        callback_id = None
        while callback_id is None:
            self.assertLess(time.time(), deadline, "no callback after the 5 s wait")
            for e in self.durable("executions", "history", arn)["Events"]:
                if e["EventType"] == "CallbackStarted":
                    callback_id = e["CallbackStartedDetails"]["CallbackId"]
            time.sleep(0.2)
        self.durable("callbacks", "succeed", callback_id, "--payload", '"yes"')
        while True:
            ex = self.durable("executions", "get", arn)
            if ex["Status"] != "RUNNING":
                break
            self.assertLess(time.time(), deadline)
            time.sleep(0.05)
        self.assertEqual(ex["Status"], "SUCCEEDED")
        self.assertEqual(json.loads(ex["Result"]), {"greeting": "Hello, Ada!", "answer": "yes"})
        types = [e["EventType"] for e in self.durable("executions", "history", arn)["Events"]]
        for t in ("StepSucceeded", "WaitStarted", "WaitSucceeded", "CallbackSucceeded",
                  "ExecutionSucceeded"):
            self.assertIn(t, types)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]])
