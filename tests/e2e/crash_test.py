#!/usr/bin/env python3
"""Crash test: 200 executions mixing steps, waits and callbacks while `durable serve` is killed
with SIGKILL at random moments and restarted on the same SQLite file, several times.

Asserts: every execution finishes with the right result; no acknowledged checkpoint is lost (no
step body runs again after its checkpoint was acknowledged); no timer fires twice; no callback
completes twice; histories stay 1..n with the terminal event last.

Usage: crash_test.py DURABLE_BIN CRASH_WORKFLOW_BIN   (CTest passes both)
"""
import json
import os
import random
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from serverproc import ServerProcess

DURABLE = sys.argv[1] if len(sys.argv) > 1 else "build/durable"
WORKFLOW = sys.argv[2] if len(sys.argv) > 2 else "build/tests/crash_workflow"
EXECUTIONS = int(os.environ.get("CRASH_EXECUTIONS", "200"))
KILLS = int(os.environ.get("CRASH_KILLS", "5"))
EXPECTED_SUM = {0: 210, 1: 21, 2: 101}


def call(server, method, path, body=None, headers=None, timeout=10):
    """Returns (status, headers, body) or None when the server is unreachable."""
    req = urllib.request.Request(server.endpoint + path, data=body, method=method,
                                 headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def enc(s):
    return urllib.parse.quote(s, safe="")


class CrashTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="durable-crash-")
        self.dir = self.tmp.name
        self.crash_log = os.path.join(self.dir, "steps.log")
        with open(os.path.join(self.dir, "template.yaml"), "w") as f:
            f.write(TEMPLATE.format(command=json.dumps(os.path.abspath(WORKFLOW)),
                                    log=json.dumps(self.crash_log)))
        self.server = ServerProcess(DURABLE, self.dir, os.path.join(self.dir, "template.yaml"),
                                    "crash.db").start()
        self.arns = {}            # name -> arn
        self.callback_sends = {}  # callback id -> number of successful sends
        self.rng = random.Random(2026)

    def tearDown(self):
        self.server.stop()
        self.tmp.cleanup()

    def start_executions(self):
        for i in range(EXECUTIONS):
            name = "crash-%d" % i
            while name not in self.arns:
                r = call(self.server, "POST",
                         "/2015-03-31/functions/CrashWorkflow/invocations?Qualifier=%24LATEST",
                         json.dumps({"kind": i % 3}).encode(),
                         {"X-Amz-Invocation-Type": "Event", "X-Amz-Durable-Execution-Name": name})
                if r is None:
                    time.sleep(0.05)
                    continue
                self.assertEqual(r[0], 202, r[2])
                self.arns[name] = r[1]["X-Amz-Durable-Execution-Arn"]

    def history(self, arn):
        r = call(self.server, "GET", "/2025-12-01/durable-executions/%s/history" % enc(arn))
        if r is None or r[0] != 200:
            return None
        return json.loads(r[2])["Events"]

    def answer_callbacks(self):
        """Sends success to every open callback; returns the number of unfinished executions."""
        unfinished = 0
        for name, arn in self.arns.items():
            events = self.history(arn)
            if events is None:
                return None
            if events and events[-1]["EventType"] == "ExecutionSucceeded":
                continue
            unfinished += 1
            done = {e["Id"] for e in events if e["EventType"] == "CallbackSucceeded"}
            for e in events:
                if e["EventType"] != "CallbackStarted" or e["Id"] in done:
                    continue
                if self.rng.random() < 0.7:
                    continue  # people answer late: keep callbacks open across several kills
                cb = e["CallbackStartedDetails"]["CallbackId"]
                r = call(self.server, "POST",
                         "/2025-12-01/durable-execution-callbacks/%s/succeed" % enc(cb),
                         json.dumps({"add": 100}).encode())
                if r is None:
                    return None
                if r[0] == 200:
                    self.callback_sends[cb] = self.callback_sends.get(cb, 0) + 1
                else:
                    self.assertEqual(r[1].get("X-Amzn-ErrorType"), "CallbackTimeoutException",
                                     r[2])
        return unfinished

    def test_executions_survive_repeated_sigkill(self):
        rng = random.Random(1126)
        started = time.time()
        self.start_executions()
        unfinished_at_kill = []
        for _ in range(KILLS):
            deadline = time.time() + rng.uniform(0.1, 0.5)
            unfinished = None
            while time.time() < deadline:
                unfinished = self.answer_callbacks()
                time.sleep(0.02)
            unfinished_at_kill.append(unfinished)
            self.server.kill()
            self.server.start()
        deadline = time.time() + 180
        while True:
            unfinished = self.answer_callbacks()
            if unfinished == 0:
                break
            self.assertLess(time.time(), deadline, "%s executions did not finish" % unfinished)
            time.sleep(0.2)
        self.verify()
        print("\ncrash test: %d executions, %d SIGKILLs, unfinished executions at each kill: %s, "
              "%.1f s" % (len(self.arns), KILLS, unfinished_at_kill, time.time() - started))
        # The kills must hit live work, or the test proves nothing.
        self.assertGreaterEqual(sum(1 for u in unfinished_at_kill if u), min(KILLS, 3),
                                unfinished_at_kill)

    def verify(self):
        for name, arn in self.arns.items():
            kind = int(name.split("-")[1]) % 3
            r = call(self.server, "GET", "/2025-12-01/durable-executions/%s" % enc(arn))
            ex = json.loads(r[2])
            self.assertEqual(ex["Status"], "SUCCEEDED", name)
            self.assertEqual(json.loads(ex["Result"]), {"kind": kind, "sum": EXPECTED_SUM[kind]})
            events = self.history(arn)
            self.assertEqual([e["EventId"] for e in events], list(range(1, len(events) + 1)))
            types = [e["EventType"] for e in events]
            self.assertEqual(types[0], "ExecutionStarted")
            self.assertEqual(types[-1], "ExecutionSucceeded")
            self.assertEqual(types.count("ExecutionSucceeded"), 1)
            self.assertEqual(types.count("WaitSucceeded"), 2 if kind == 1 else 0, name)
            waits = [e["Id"] for e in events if e["EventType"] == "WaitSucceeded"]
            self.assertEqual(len(waits), len(set(waits)), "a timer fired twice in " + name)
            self.assertEqual(types.count("CallbackSucceeded"), 1 if kind == 2 else 0, name)
            succeeded = [e["Name"] for e in events if e["EventType"] == "StepSucceeded"]
            self.assertEqual(len(succeeded), len(set(succeeded)), name)
        for cb, sends in self.callback_sends.items():
            self.assertEqual(sends, 1, "callback %s completed %d times" % (cb, sends))
        acked = set()
        with open(self.crash_log) as f:
            for line in f:
                what, arn, step = line.split()
                if what == "acked":
                    acked.add((arn, step))
                else:
                    self.assertNotIn((arn, step), acked,
                                     "step %s of %s ran again after its checkpoint" % (step, arn))


TEMPLATE = """
Resources:
  CrashWorkflow:
    Type: AWS::Serverless::Function
    Metadata:
      Command: [{command}]
    Properties:
      Handler: crash
      Timeout: 30
      ReservedConcurrentExecutions: 8
      Environment:
        Variables:
          CRASH_LOG: {log}
      DurableConfig:
        ExecutionTimeout: 900
        RetentionPeriodInDays: 1
"""

if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]])
