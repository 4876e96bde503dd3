#!/usr/bin/env python3
"""Approvals end to end (docs/approvals.md): a real `durable serve` on a temporary SQLite file
with a test approvals config (users with SHA-256 token hashes, a webhook notifier pointing at a
counting HTTP receiver run by this test). Each test drives the HTTP API (or the CLI) and asserts
the built-in approval-workflow's final result (GetDurableExecution) and the exact audit trail.

Usage: approvals_test.py DURABLE_BIN [TestClass[.test_name] ...]
"""
import collections
import hashlib
import http.client
import http.server
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

from serverproc import ServerProcess

DURABLE = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/durable")
DEADLINE = 90  # seconds: generous, the machine may be loaded; polls end as soon as done

USERS = [
    # id, roles
    ("alice", ["approver"]),
    ("bob", ["approver"]),
    ("carol", ["approver"]),
    ("dave", ["approver"]),
    ("rita", ["requester"]),
    ("root", ["admin"]),
]
TOKENS = {u: "tok-%s-%s" % (u, hashlib.sha256(u.encode()).hexdigest()[:12]) for u, _ in USERS}


class Receiver:
    """A webhook endpoint that records every POST it gets (thread-safe). `fail_first(title)`
    makes it answer 500 to the first notification of the approval with that title; `hold(title,
    recipient)` keeps that notification's request open (never answered) until `release()`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posts = []
        self.fail_titles = set()
        self.hold_for = None  # (title, recipient)
        self.held = threading.Event()
        self.released = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n).decode("utf-8", "replace")
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                title = recipient = None
                if isinstance(parsed, dict) and isinstance(parsed.get("data"), dict):
                    title = parsed["data"].get("title")
                    recipient = (parsed.get("recipient") or {}).get("user_id")
                with receiver.lock:
                    hold = receiver.hold_for == (title, recipient)
                    if hold:
                        receiver.hold_for = None
                        receiver.posts.append({"path": self.path, "body": body, "json": parsed,
                                               "headers": dict(self.headers), "status": "held"})
                if hold:
                    receiver.held.set()
                    receiver.released.wait(120)
                    return  # the sender never gets an answer
                with receiver.lock:
                    fail = title in receiver.fail_titles
                    receiver.fail_titles.discard(title)
                    receiver.posts.append({"path": self.path, "body": body, "json": parsed,
                                           "headers": dict(self.headers),
                                           "status": 500 if fail else 200})
                self.send_response(500 if fail else 200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"no" if fail else b"ok")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail_first(self, title):
        with self.lock:
            self.fail_titles.add(title)

    def hold(self, title, recipient):
        with self.lock:
            self.held.clear()
            self.released.clear()
            self.hold_for = (title, recipient)

    def release(self):
        self.released.set()

    def for_approval(self, approval_id, delivered_only=True):
        with self.lock:
            return [p for p in self.posts
                    if isinstance(p["json"], dict) and p["json"].get("approval_id") == approval_id
                    and (p["status"] == 200 or not delivered_only)]

    @staticmethod
    def key(post):
        """What makes one notification: its delivery key (approval/kind/sequence/recipient)."""
        return post["json"]["key"]


def find_links(text):
    return re.findall(r"/approvals/links/([A-Za-z0-9._~%+=-]+)", text)


def write_config(path, receiver_url, link_ttl=86400):
    users = [{"id": u, "name": u.capitalize(), "email": "%s@example.com" % u, "roles": roles,
              "token_sha256": hashlib.sha256(TOKENS[u].encode()).hexdigest()}
             for u, roles in USERS]
    with open(path, "w") as f:
        json.dump({"public_url": "http://approvals.test", "link_ttl_seconds": link_ttl,
                   "users": users, "notifiers": [{"type": "webhook", "url": receiver_url}]}, f)


class Api:
    """A small HTTP client of one server."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        u = urllib.parse.urlsplit(endpoint)
        self.host, self.port = u.hostname, u.port

    def request(self, method, path, body=None, user=None, token=None, headers=None,
                content_type="application/json"):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        h = dict(headers or {})
        if user is not None:
            token = TOKENS[user]
        if token is not None:
            h["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = body if isinstance(body, (str, bytes)) else json.dumps(body)
            h["Content-Type"] = content_type
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            raw = r.read().decode("utf-8", "replace")
            return r.status, dict(r.getheaders()), raw
        finally:
            conn.close()

    def json(self, method, path, body=None, user=None, expect=200, **kw):
        status, headers, raw = self.request(method, path, body, user, **kw)
        if expect is not None and status != expect:
            raise AssertionError("%s %s as %s: HTTP %d (want %d): %s" %
                                 (method, path, user, status, expect, raw))
        return json.loads(raw) if raw else None

    def execution(self, arn):
        return self.json("GET", "/2025-12-01/durable-executions/" + urllib.parse.quote(arn, safe=""))

    def history(self, arn):
        return self.json("GET", "/2025-12-01/durable-executions/" + urllib.parse.quote(arn, safe="")
                         + "/history?IncludeExecutionData=true&MaxItems=1000")


def kinds(approval):
    return [a["kind"] for a in approval["audit"]]


class ApprovalsBase(unittest.TestCase):
    link_ttl = 86400

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="durable-approvals-")
        cls.receiver = Receiver()
        cls.config = os.path.join(cls.tmp.name, "approvals.json")
        write_config(cls.config, cls.receiver.url, cls.link_ttl)
        cls.server = ServerProcess(DURABLE, cls.tmp.name, None, "approvals.db",
                                   ["--approvals-config", cls.config]).start()
        cls.api = Api(cls.server.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.receiver.close()
        cls.tmp.cleanup()

    def restart(self):
        self.server.kill()
        self.server.start()
        type(self).api = Api(self.server.endpoint)

    def server_log(self):
        try:
            with open(os.path.join(self.tmp.name, "server.log"), errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    # --- helpers -------------------------------------------------------------------------------

    def create(self, approvers, user="rita", expect=201, **spec):
        body = {"title": spec.pop("title", "Deploy %s" % self.id().split(".")[-1]),
                "description": spec.pop("description", "release notes"),
                "approvers": approvers}
        body.update(spec)
        created = self.api.json("POST", "/approvals", body, user=user, expect=expect)
        self.assertEqual(created["status"], "pending")
        self.assertTrue(created["approval_id"])
        self.assertIn(":function:approval-workflow:$LATEST/durable-execution/approval-" +
                      created["approval_id"] + "/", created["execution_arn"])
        return created

    def get(self, approval_id, user="root"):
        return self.api.json("GET", "/approvals/" + approval_id, user=user)

    def poll(self, what, fn, deadline=DEADLINE):
        """Calls fn until it returns a truthy value; fails with `what` after the deadline."""
        end = time.time() + deadline
        last = None
        while True:
            last = fn()
            if last:
                return last
            if time.time() > end:
                self.fail("timed out waiting for %s (last: %r)\n%s" % (what, last, self.server_log()))
            time.sleep(0.05)

    def wait_audit(self, approval_id, prefix):
        """Waits until the audit trail starts with `prefix` (kinds) and returns the approval."""
        def ready():
            a = self.get(approval_id)
            return a if kinds(a)[:len(prefix)] == prefix else None
        return self.poll("audit %s of %s" % (prefix, approval_id), ready)

    def wait_waiting(self, created, notified):
        """Waits until the request notifications are recorded and the workflow waits on its
        callback, so that what the test does next has one possible order in the audit trail."""
        a = self.wait_audit(created["approval_id"], ["requested"] + ["notified"] * notified)

        def waiting():
            events = self.api.history(created["execution_arn"])["Events"]
            return any(e["EventType"] == "CallbackStarted" for e in events)
        self.poll("CallbackStarted of " + created["execution_arn"], waiting)
        return a

    def wait_done(self, created, status):
        """Waits for the workflow to finish; asserts its result and returns the approval."""
        arn = created["execution_arn"]

        def done():
            ex = self.api.execution(arn)
            return ex if ex["Status"] not in ("RUNNING",) else None
        ex = self.poll("execution " + arn, done)
        self.assertEqual(ex["Status"], "SUCCEEDED", json.dumps(ex))
        result = json.loads(ex["Result"])
        self.assertEqual(result["approval_id"], created["approval_id"])
        self.assertEqual(result["status"], status)

        def completed():
            a = self.get(created["approval_id"])
            return a if "completed" in kinds(a) else None
        a = self.poll("completed in the audit of " + created["approval_id"], completed)
        self.assertEqual(a["status"], status)
        done_entry = [e for e in a["audit"] if e["kind"] == "completed"]
        self.assertEqual(len(done_entry), 1)
        self.assertEqual(done_entry[0]["actor"], "workflow")
        self.assertEqual(done_entry[0]["detail"].get("status"), status)
        return a, result

    def notified(self, approval):
        """(kind, recipient) of each `notified` audit entry, in order."""
        return [(e["detail"]["kind"], e["detail"]["recipient"]) for e in approval["audit"]
                if e["kind"] == "notified"]

    def decide(self, approval_id, user, decision, comment="", expect=200):
        return self.api.json("POST", "/approvals/%s/decision" % approval_id,
                             {"decision": decision, "comment": comment}, user=user, expect=expect)

    def assert_no_duplicate_notifications(self, approval_ids):
        posts = [p for i in approval_ids for p in self.receiver.for_approval(i)]
        counts = collections.Counter(Receiver.key(p) for p in posts)
        dups = {k: n for k, n in counts.items() if n > 1}
        self.assertEqual(dups, {}, "notifications delivered more than once")


class ApprovalsTest(ApprovalsBase):
    def test_approve(self):
        c = self.create(["alice"], timeout_seconds=600, payload={"build": 41})
        a = self.wait_waiting(c, 1)
        self.assertEqual(a["audit"][0]["actor"], "rita")
        self.assertEqual(a["audit"][0]["detail"], {"via": "api", "requester": "rita"})
        self.assertEqual(a["requester"], "rita")
        self.assertEqual(a["payload"], {"build": 41})
        decided = self.decide(c["approval_id"], "alice", "approve", "ship it")
        self.assertEqual(decided["status"], "approved")
        a, result = self.wait_done(c, "approved")
        self.assertEqual(kinds(a), ["requested", "notified", "decided", "approved", "notified",
                                    "completed"])
        self.assertEqual(self.notified(a), [("request", "alice"), ("outcome", "rita")])
        d = [e for e in a["audit"] if e["kind"] == "decided"][0]
        self.assertEqual(d["actor"], "alice")
        self.assertEqual(d["detail"]["decision"], "approve")
        self.assertEqual(d["detail"]["comment"], "ship it")
        self.assertEqual(d["detail"]["via"], "api")
        self.assertEqual([x["approver"] for x in result["decisions"]], ["alice"])
        self.assertEqual(a["decisions"][0]["decision"], "approve")
        self.assertIsNotNone(a["decided_at"])
        # A second decision on a decided approval: 409, nothing changes.
        self.decide(c["approval_id"], "alice", "reject", expect=409)
        self.assertEqual(kinds(self.get(c["approval_id"])), kinds(a))
        self.assert_no_duplicate_notifications([c["approval_id"]])

    def test_admin_creates_on_behalf_of_a_requester(self):
        c = self.create(["alice"], user="root", requester="rita", timeout_seconds=600)
        a = self.wait_waiting(c, 1)
        self.assertEqual(a["requester"], "rita")
        first = a["audit"][0]
        # The actor is who did it; the detail names the requester.
        self.assertEqual((first["kind"], first["actor"]), ("requested", "root"))
        self.assertEqual(first["detail"], {"via": "api", "requester": "rita"})
        self.decide(c["approval_id"], "alice", "approve")
        a, _ = self.wait_done(c, "approved")
        self.assertEqual(self.notified(a), [("request", "alice"), ("outcome", "rita")])

    def test_reject(self):
        c = self.create(["bob"], timeout_seconds=600)
        self.wait_waiting(c, 1)
        self.decide(c["approval_id"], "bob", "reject", "not today")
        a, result = self.wait_done(c, "rejected")
        self.assertEqual(kinds(a), ["requested", "notified", "decided", "rejected", "notified",
                                    "completed"])
        self.assertEqual(result["decisions"][0]["decision"], "reject")
        self.assertEqual(result["decisions"][0]["comment"], "not today")
        self.decide(c["approval_id"], "bob", "approve", expect=409)

    def test_expire(self):
        c = self.create(["carol"], timeout_seconds=2)
        a, result = self.wait_done(c, "expired")
        self.assertEqual(kinds(a), ["requested", "notified", "expired", "notified", "completed"])
        self.assertEqual(self.notified(a), [("request", "carol"), ("outcome", "rita")])
        self.assertEqual(result["decisions"], [])
        self.decide(c["approval_id"], "carol", "approve", expect=410)
        self.assertEqual(kinds(self.get(c["approval_id"])), kinds(a))

    def test_cancel(self):
        c = self.create(["alice"], timeout_seconds=600)
        self.wait_waiting(c, 1)
        # Only the requester (or an admin) cancels.
        self.api.json("POST", "/approvals/%s/cancel" % c["approval_id"], {"comment": "x"},
                      user="alice", expect=403)
        cancelled = self.api.json("POST", "/approvals/%s/cancel" % c["approval_id"],
                                  {"comment": "wrong build"}, user="rita")
        self.assertEqual(cancelled["status"], "cancelled")
        a, result = self.wait_done(c, "cancelled")
        self.assertEqual(kinds(a), ["requested", "notified", "cancelled", "notified", "completed"])
        entry = [e for e in a["audit"] if e["kind"] == "cancelled"][0]
        self.assertEqual(entry["actor"], "rita")
        self.assertEqual(entry["detail"]["comment"], "wrong build")
        self.decide(c["approval_id"], "alice", "approve", expect=409)
        self.api.json("POST", "/approvals/%s/cancel" % c["approval_id"], {"comment": "again"},
                      user="rita", expect=409)

    def test_two_approvers_at_the_same_moment(self):
        rounds = 12
        created = [self.create(["alice", "bob"], timeout_seconds=600) for _ in range(rounds)]
        for c in created:
            self.wait_waiting(c, 2)
        outcomes = collections.Counter()
        for i, c in enumerate(created):
            barrier = threading.Barrier(2)
            results = {}
            # alice approves; bob approves in even rounds and rejects in odd ones.
            plan = {"alice": "approve", "bob": "approve" if i % 2 == 0 else "reject"}

            def go(user):
                conn = http.client.HTTPConnection(self.api.host, self.api.port, timeout=60)
                conn.connect()
                body = json.dumps({"decision": plan[user], "comment": "round %d" % i})
                barrier.wait()
                conn.request("POST", "/approvals/%s/decision" % c["approval_id"], body=body,
                             headers={"Authorization": "Bearer " + TOKENS[user],
                                      "Content-Type": "application/json"})
                r = conn.getresponse()
                results[user] = (r.status, r.getheader("X-Amzn-ErrorType", "") + " " +
                                 r.read().decode())
                conn.close()
            threads = [threading.Thread(target=go, args=(u,)) for u in plan]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            statuses = sorted(s for s, _ in results.values())
            self.assertEqual(statuses, [200, 409], "round %d: %r" % (i, results))
            winner = [u for u, (s, _) in results.items() if s == 200][0]
            loser = [u for u, (s, _) in results.items() if s == 409][0]
            self.assertIn("ConflictException", results[loser][1])
            want = "approved" if plan[winner] == "approve" else "rejected"
            outcomes[winner] += 1
            a, result = self.wait_done(c, want)
            self.assertEqual(kinds(a), ["requested", "notified", "notified", "decided", want,
                                        "notified", "completed"])
            self.assertEqual([d["approver"] for d in a["decisions"]], [winner])
            self.assertEqual([d["approver"] for d in result["decisions"]], [winner])
        self.assertEqual(sum(outcomes.values()), rounds)

    def test_quorum_two_of_three(self):
        c = self.create(["alice", "bob", "carol"], quorum=2, timeout_seconds=600)
        self.wait_waiting(c, 3)
        first = self.decide(c["approval_id"], "alice", "approve")
        self.assertEqual(first["status"], "pending")
        self.assertEqual(first["approvals_count"], 1)
        self.decide(c["approval_id"], "alice", "approve", expect=409)  # decides once
        self.decide(c["approval_id"], "rita", "approve", expect=403)   # the requester
        self.decide(c["approval_id"], "dave", "approve", expect=403)   # not an approver
        second = self.decide(c["approval_id"], "bob", "approve")
        self.assertEqual(second["status"], "approved")
        self.decide(c["approval_id"], "carol", "reject", expect=409)
        a, result = self.wait_done(c, "approved")
        self.assertEqual(kinds(a), ["requested", "notified", "notified", "notified", "decided",
                                    "decided", "approved", "notified", "completed"])
        self.assertEqual(sorted(r for _, r in self.notified(a)[:3]), ["alice", "bob", "carol"])
        self.assertEqual([d["approver"] for d in result["decisions"]], ["alice", "bob"])

    def test_quorum_veto(self):
        c = self.create(["alice", "bob", "carol"], quorum=2, timeout_seconds=600)
        self.wait_waiting(c, 3)
        self.assertEqual(self.decide(c["approval_id"], "alice", "approve")["status"], "pending")
        self.assertEqual(self.decide(c["approval_id"], "carol", "reject", "veto")["status"],
                         "rejected")
        self.decide(c["approval_id"], "bob", "approve", expect=409)
        a, result = self.wait_done(c, "rejected")
        self.assertEqual(kinds(a), ["requested", "notified", "notified", "notified", "decided",
                                    "decided", "rejected", "notified", "completed"])
        self.assertEqual([(d["approver"], d["decision"]) for d in result["decisions"]],
                         [("alice", "approve"), ("carol", "reject")])

    def test_reminders_and_escalation(self):
        # Reminders at 2 s and 4 s, escalation to dave at 3 s; nobody decides until the second
        # reminder went out, then dave (added by the escalation) approves long before the timeout.
        c = self.create(["alice"], timeout_seconds=60, reminder_interval_seconds=2,
                        escalation={"after_seconds": 3, "approvers": ["dave"]})
        aid = c["approval_id"]

        def second_reminder_sent():
            a = self.get(aid)
            n = [x for x in self.notified(a) if x[0] == "reminder"]
            return a if len(n) == 3 else None  # alice at 2 s; alice and dave at 4 s
        a = self.poll("the second reminder", second_reminder_sent)
        self.assertEqual(a["status"], "pending")
        self.assertEqual(a["escalation_approvers"], ["dave"])
        self.assertEqual(a["approvers"], ["alice", "dave"])  # dave joined by the escalation
        self.decide(aid, "dave", "approve", "escalated and approved")
        a, result = self.wait_done(c, "approved")
        self.assertEqual(kinds(a), ["requested", "notified",             # t=0: alice
                                    "reminded", "notified",              # 2 s: alice
                                    "escalated", "notified",             # 3 s: dave
                                    "reminded", "notified", "notified",  # 4 s: alice, dave
                                    "decided", "approved", "notified", "completed"])
        n = self.notified(a)
        self.assertEqual(n[:3], [("request", "alice"), ("reminder", "alice"),
                                 ("escalation", "dave")])
        self.assertEqual(sorted(n[3:5]), [("reminder", "alice"), ("reminder", "dave")])
        self.assertEqual(n[5:], [("outcome", "rita")])
        reminded = [e["detail"]["sequence"] for e in a["audit"] if e["kind"] == "reminded"]
        self.assertEqual(reminded, [1, 2])
        escalated = [e for e in a["audit"] if e["kind"] == "escalated"]
        self.assertEqual(escalated[0]["detail"]["approvers"], ["dave"])
        self.assertEqual(result["decisions"][0]["approver"], "dave")
        # The receiver got one POST per notified entry, none twice.
        self.assertEqual(len(self.receiver.for_approval(aid)), len(self.notified(a)))
        self.assert_no_duplicate_notifications([aid])

    def test_failed_delivery_is_recorded_and_retried(self):
        # alice's request notification fails once (HTTP 500); the notify step is retried and
        # sends it again, but not carol's, which went out the first time.
        title = "Flaky webhook %d" % time.time_ns()
        self.receiver.fail_first(title)
        c = self.create(["alice", "carol"], title=title, timeout_seconds=600)
        aid = c["approval_id"]
        self.wait_waiting(c, 0)
        a = self.wait_audit(aid, ["requested", "notification_failed", "notified", "notified"])
        failed = a["audit"][1]
        self.assertEqual(failed["detail"]["recipient"], "alice")
        self.assertEqual(failed["detail"]["channel"], "webhook")
        self.assertIn("500", failed["detail"]["error"])
        self.assertEqual(self.notified(a), [("request", "carol"), ("request", "alice")])
        attempts = self.receiver.for_approval(aid, delivered_only=False)
        self.assertEqual([(p["status"], p["json"]["recipient"]["user_id"]) for p in attempts],
                         [(500, "alice"), (200, "carol"), (200, "alice")])
        self.assertEqual(Receiver.key(attempts[0]), Receiver.key(attempts[2]))
        self.decide(aid, "carol", "approve")
        a, _ = self.wait_done(c, "approved")
        self.assertEqual(kinds(a), ["requested", "notification_failed", "notified", "notified",
                                    "decided", "approved", "notified", "completed"])
        self.assert_no_duplicate_notifications([aid])

    def test_wrong_tokens_are_refused_and_change_nothing(self):
        c = self.create(["alice"], timeout_seconds=600)
        aid = c["approval_id"]
        before = self.wait_waiting(c, 1)
        path = "/approvals/%s/decision" % aid
        body = {"decision": "approve", "comment": "sneaky"}
        for token in (None, "", "tok-alice", TOKENS["alice"] + "x", TOKENS["alice"].upper(),
                      hashlib.sha256(TOKENS["alice"].encode()).hexdigest()):
            status, headers, raw = self.api.request("POST", path, body, token=token)
            self.assertEqual(status, 401, "token %r: %s" % (token, raw))
            self.assertEqual(headers.get("X-Amzn-ErrorType", "").split(":")[0],
                             "UnauthorizedException")
            err = json.loads(raw)  # the AWS shape: Type is the fault side, User
            self.assertEqual(err["Type"], "User")
            self.assertTrue(err["message"])
        status, _, _ = self.api.request("POST", path, body,
                                        headers={"Authorization": "Basic " + TOKENS["alice"]})
        self.assertEqual(status, 401)
        self.api.json("GET", "/approvals/me", token="nope", expect=401)
        self.assertEqual(self.api.json("GET", "/approvals/me", user="alice")["id"], "alice")
        # Authenticated but not allowed.
        self.decide(aid, "bob", "approve", expect=403)
        self.decide(aid, "rita", "approve", expect=403)
        self.decide(aid, "alice", "maybe", expect=400)
        self.api.json("POST", "/approvals/nope-123/decision", body, user="alice", expect=404)
        after = self.get(aid)
        self.assertEqual(after["status"], "pending")
        self.assertEqual(after["audit"], before["audit"])
        self.assertEqual(after["decisions"], [])
        self.decide(aid, "alice", "approve")
        self.wait_done(c, "approved")

    def test_links_forged_and_reused(self):
        c = self.create(["alice", "bob"], timeout_seconds=600)
        aid = c["approval_id"]
        before = self.wait_waiting(c, 2)
        posts = self.receiver.for_approval(aid)
        links = {p["json"]["recipient"]["user_id"]: find_links(p["json"]["action_url"])
                 for p in posts}
        self.assertEqual(sorted(links), ["alice", "bob"])
        self.assertEqual(len(links["alice"]), 1, links)
        self.assertIn(links["alice"][0], posts[0]["json"]["text"] + posts[1]["json"]["text"])
        self.assertNotEqual(links["alice"], links["bob"])
        alice_link = links["alice"]
        token = alice_link[0]
        link = "/approvals/links/" + token

        def form(decision, comment=""):
            return urllib.parse.urlencode({"decision": decision, "comment": comment})

        # GET shows a confirm page and changes nothing (mail scanners follow links).
        status, headers, page = self.api.request("GET", link)
        self.assertEqual(status, 200, page)
        self.assertIn("text/html", headers.get("Content-Type", ""))
        self.assertEqual(self.get(aid)["audit"], before["audit"])
        # Forged: a changed character in the token, and a made-up one.
        forged = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
        for bad in (forged, "x" + token, "not-a-link"):
            status, headers, page = self.api.request(
                "POST", "/approvals/links/" + bad, form("approve"),
                content_type="application/x-www-form-urlencoded")
            self.assertEqual(status, 403, page)
            self.assertIn("text/html", headers.get("Content-Type", ""))
        after = self.get(aid)
        self.assertEqual(after["audit"], before["audit"])
        self.assertEqual(after["status"], "pending")
        # The real link decides once, as alice.
        status, _, page = self.api.request("POST", link, form("approve", "via mail"),
                                           content_type="application/x-www-form-urlencoded")
        self.assertEqual(status, 200, page)
        a, result = self.wait_done(c, "approved")
        self.assertEqual(result["decisions"][0]["approver"], "alice")
        self.assertEqual(result["decisions"][0]["via"], "link")
        self.assertEqual(kinds(a), ["requested", "notified", "notified", "decided", "approved",
                                    "notified", "completed"])
        # Reused: 409, nothing changes.
        status, _, page = self.api.request("POST", link, form("reject"),
                                           content_type="application/x-www-form-urlencoded")
        self.assertEqual(status, 409, page)
        self.assertEqual(self.get(aid)["audit"], a["audit"])

    def test_cli_create_approve_show(self):
        env = dict(os.environ, DURABLE_ENDPOINT=self.server.endpoint)

        def durable(*args, user=None, expect=0, via_env=False):
            e = dict(env)
            argv = [DURABLE, "approvals", *args]
            if user and via_env:
                e["DURABLE_TOKEN"] = TOKENS[user]
            elif user:
                argv += ["--token", TOKENS[user]]
            r = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=e)
            self.assertEqual(r.returncode, expect, "%s\n%s%s" % (args, r.stdout, r.stderr))
            return r

        h = durable("hash-token", "s3cret").stdout.strip()
        self.assertEqual(h, hashlib.sha256(b"s3cret").hexdigest())
        out = json.loads(durable("create", "--title", "CLI deploy", "--description", "from cli",
                                 "--approver", "alice", "--approver", "bob", "--quorum", "1",
                                 "--timeout", "10m", "--payload", '{"pr": 12}',
                                 "--request-id", "cli-1", user="rita").stdout)
        aid = out["approval_id"]
        self.assertEqual(out["status"], "pending")
        # The same request id: the same approval.
        again = json.loads(durable("create", "--title", "CLI deploy", "--approver", "alice",
                                   "--approver", "bob", "--request-id", "cli-1",
                                   user="rita").stdout)
        self.assertEqual(again["approval_id"], aid)
        c = {"approval_id": aid, "execution_arn": out["execution_arn"]}
        self.wait_waiting(c, 2)
        shown = json.loads(durable("show", aid, user="alice", via_env=True).stdout)
        self.assertEqual(shown["title"], "CLI deploy")
        self.assertEqual(shown["approvers"], ["alice", "bob"])
        self.assertEqual(shown["timeout_seconds"], 600)
        self.assertEqual(shown["payload"], {"pr": 12})
        listing = durable("list", "--status", "pending", "--approver", "me", "--output", "table",
                          user="alice").stdout
        self.assertRegex(listing.splitlines()[0], r"^ID\s+STATUS\s+TITLE")
        self.assertIn(aid, listing)
        listed = json.loads(durable("list", "--requester", "me", user="rita").stdout)
        self.assertIn(aid, [i["approval_id"] for i in listed["items"]])
        self.assertEqual(listed["items"][0]["approval_id"], aid)  # newest first
        page1 = json.loads(durable("list", "--limit", "1", user="root").stdout)
        self.assertEqual(len(page1["items"]), 1)
        page2 = json.loads(durable("list", "--limit", "1", "--next-token", page1["next_token"],
                                   user="root").stdout)
        self.assertEqual(len(page2["items"]), 1)
        self.assertNotEqual(page1["items"][0]["approval_id"], page2["items"][0]["approval_id"])
        decided = json.loads(durable("approve", aid, "--comment", "lgtm", user="alice",
                                     via_env=True).stdout)
        self.assertEqual(decided["status"], "approved")
        late = durable("reject", aid, user="bob", expect=1)
        self.assertIn("ConflictException", late.stderr)
        a, result = self.wait_done(c, "approved")
        self.assertEqual(kinds(a), ["requested", "notified", "notified", "decided", "approved",
                                    "notified", "completed"])
        table = durable("show", aid, "--output", "table", user="root").stdout
        self.assertRegex(table, r"STATUS\s+approved")
        for kind in ("requested", "decided", "approved", "completed"):
            self.assertRegex(table, r"\b%s\b" % kind)
        # Errors: no token, a wrong token, bad flags.
        self.assertIn("DURABLE_TOKEN", durable("show", aid, expect=1).stderr)
        bad = subprocess.run([DURABLE, "approvals", "show", aid, "--token", "wrong"],
                             capture_output=True, text=True, timeout=60, env=env)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("UnauthorizedException", bad.stderr)
        self.assertIn("--payload", durable("create", "--title", "t", "--approver", "alice",
                                           "--payload", "[1]", user="rita", expect=1).stderr)
        self.assertIn("ResourceNotFoundException",
                      durable("approve", "no-such-id", user="alice", expect=1).stderr)



    def test_one_link_clicked_twice_at_the_same_moment(self):
        c = self.create(["alice", "bob"], quorum=2, timeout_seconds=600)
        aid = c["approval_id"]
        self.wait_waiting(c, 2)
        link = [find_links(p["json"]["action_url"])[0] for p in self.receiver.for_approval(aid)
                if p["json"]["recipient"]["user_id"] == "alice"][0]
        barrier = threading.Barrier(2)
        statuses = []

        def click():
            conn = http.client.HTTPConnection(self.api.host, self.api.port, timeout=60)
            conn.connect()
            barrier.wait()
            conn.request("POST", "/approvals/links/" + link,
                         body=urllib.parse.urlencode({"decision": "approve"}),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            r = conn.getresponse()
            r.read()
            statuses.append(r.status)
            conn.close()
        threads = [threading.Thread(target=click) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(sorted(statuses), [200, 409])
        a = self.get(aid)
        self.assertEqual(a["status"], "pending")
        self.assertEqual(a["approvals_count"], 1)
        self.assertEqual(kinds(a), ["requested", "notified", "notified", "decided"])
        self.decide(aid, "bob", "approve")
        a, result = self.wait_done(c, "approved")
        self.assertEqual([(d["approver"], d["via"]) for d in result["decisions"]],
                         [("alice", "link"), ("bob", "api")])


class ExpiredLinkTest(ApprovalsBase):
    link_ttl = 1  # links live one second; the approval itself ten minutes

    def test_expired_link_is_refused(self):
        c = self.create(["alice"], timeout_seconds=600)
        aid = c["approval_id"]
        before = self.wait_waiting(c, 1)
        toks = [t for p in self.receiver.for_approval(aid) for t in find_links(p["json"]["action_url"])]
        self.assertTrue(toks)
        issued = time.time()
        self.poll("the link's expiry", lambda: time.time() > issued + 2.5)
        status, headers, page = self.api.request(
            "POST", "/approvals/links/" + toks[0],
            urllib.parse.urlencode({"decision": "approve", "comment": "late"}),
            content_type="application/x-www-form-urlencoded")
        self.assertEqual(status, 410, page)
        self.assertIn("text/html", headers.get("Content-Type", ""))
        after = self.get(aid)
        self.assertEqual(after["status"], "pending")
        self.assertEqual(after["audit"], before["audit"])
        # The API still works for alice.
        self.decide(aid, "alice", "approve")
        self.wait_done(c, "approved")


class CrashTest(ApprovalsBase):
    def test_sigkill_while_pending(self):
        single = [self.create(["alice"], timeout_seconds=600) for _ in range(4)]
        duo = self.create(["alice", "bob"], quorum=2, timeout_seconds=600)
        for c in single:
            self.wait_waiting(c, 1)
        self.wait_waiting(duo, 2)
        self.assertEqual(self.decide(duo["approval_id"], "alice", "approve")["status"], "pending")
        ids = [c["approval_id"] for c in single + [duo]]
        before = {i: self.get(i) for i in ids}

        self.restart()

        listed = self.api.json("GET", "/approvals?status=pending&limit=100", user="root")
        self.assertEqual(set(ids) - {i["approval_id"] for i in listed["items"]}, set())
        for i in ids:
            a = self.get(i)
            self.assertEqual(a["status"], "pending")
            self.assertEqual(a["audit"], before[i]["audit"])
        for c in single:
            self.decide(c["approval_id"], "alice", "approve", "after the crash")
        self.decide(duo["approval_id"], "alice", "approve", expect=409)
        self.assertEqual(self.decide(duo["approval_id"], "bob", "approve")["status"], "approved")
        for c in single:
            a, _ = self.wait_done(c, "approved")
            self.assertEqual(kinds(a), ["requested", "notified", "decided", "approved",
                                        "notified", "completed"])
        a, result = self.wait_done(duo, "approved")
        self.assertEqual(kinds(a), ["requested", "notified", "notified", "decided", "decided",
                                    "approved", "notified", "completed"])
        self.assertEqual([d["approver"] for d in result["decisions"]], ["alice", "bob"])
        for i in ids:
            a = self.get(i)
            self.assertEqual(len(self.receiver.for_approval(i)), len(self.notified(a)), i)
        self.assert_no_duplicate_notifications(ids)


    def test_approval_whose_workflow_never_started(self):
        # A SIGKILL between Create's commit and its Invoke leaves a pending row with no execution.
        # That state is written into the stopped server's database exactly as Create's
        # transaction writes it; the next start runs the workflow (execution approval-<id>), which
        # notifies, waits for the decision and finishes. A further restart starts nothing more.
        aid = str(uuid.uuid4())
        title = "Never started %d" % time.time_ns()
        self.server.kill()
        now = int(time.time() * 1000)
        spec = {"title": title, "description": "", "requester": "rita", "approvers": ["alice"],
                "quorum": 1, "timeout_seconds": 600}
        db = sqlite3.connect(self.server.db)
        try:
            with db:
                db.execute("INSERT INTO approval_requests (id, request_key, execution_arn, "
                           "callback_id, spec, requester, status, created_at_ms, expires_at_ms, "
                           "decided_at_ms) VALUES (?, ?, '', '', ?, 'rita', 'pending', ?, ?, NULL)",
                           (aid, "id:" + aid, json.dumps(spec), now, now + 600 * 1000))
                db.execute("INSERT INTO approval_approvers (approval_id, user_id, added_by, "
                           "position) VALUES (?, 'alice', 'request', 0)", (aid,))
                db.execute("INSERT INTO approval_audit (approval_id, at_ms, kind, actor, detail) "
                           "VALUES (?, ?, 'requested', 'rita', ?)",
                           (aid, now, json.dumps({"via": "api", "requester": "rita"})))
        finally:
            db.close()
        self.server.start()
        type(self).api = Api(self.server.endpoint)

        # Recovery runs before the server announces its port: the ARN is there at once.
        a = self.get(aid)
        self.assertEqual(a["status"], "pending")
        self.assertIn(":function:approval-workflow:$LATEST/durable-execution/approval-" + aid +
                      "/", a["execution_arn"])
        c = {"approval_id": aid, "execution_arn": a["execution_arn"]}
        self.wait_waiting(c, 1)
        self.decide(aid, "alice", "approve", "found it")
        a, result = self.wait_done(c, "approved")
        self.assertEqual(kinds(a), ["requested", "notified", "decided", "approved", "notified",
                                    "completed"])
        self.assertEqual(self.notified(a), [("request", "alice"), ("outcome", "rita")])
        self.assertEqual([d["approver"] for d in result["decisions"]], ["alice"])

        self.restart()
        page = self.api.json("GET", "/2025-12-01/functions/approval-workflow/durable-executions"
                             "?DurableExecutionName=approval-" + aid)
        self.assertEqual([e["DurableExecutionArn"] for e in page["DurableExecutions"]],
                         [c["execution_arn"]])
        self.assertEqual(self.get(aid)["audit"], a["audit"])
        self.assert_no_duplicate_notifications([aid])

    def test_sigkill_during_a_notification(self):
        # The server dies while bob's request notification is in flight (alice's went out and
        # was recorded). After the restart the notify step runs again: bob gets his (the lost
        # attempt was never answered), alice does not get hers twice.
        title = "Killed mid-notify %d" % time.time_ns()
        self.receiver.hold(title, "bob")
        c = self.create(["alice", "bob"], title=title, timeout_seconds=600)
        aid = c["approval_id"]
        self.poll("bob's notification in flight", self.receiver.held.is_set)
        self.restart()
        self.receiver.release()
        a = self.wait_waiting(c, 2)
        self.assertEqual(self.notified(a), [("request", "alice"), ("request", "bob")])
        attempts = self.receiver.for_approval(aid, delivered_only=False)
        self.assertEqual([(p["status"], p["json"]["recipient"]["user_id"]) for p in attempts],
                         [(200, "alice"), ("held", "bob"), (200, "bob")])
        self.decide(aid, "bob", "reject")
        a, _ = self.wait_done(c, "rejected")
        self.assertEqual(kinds(a), ["requested", "notified", "notified", "decided", "rejected",
                                    "notified", "completed"])
        self.assert_no_duplicate_notifications([aid])

    def test_sigkill_between_reminders(self):
        # Reminders every 5 s: the server dies right after the first one went out and comes
        # back; the second is sent once, and the decision after it ends the workflow.
        c = self.create(["alice"], timeout_seconds=120, reminder_interval_seconds=5)
        aid = c["approval_id"]
        # Exactly these entries (not a prefix): the kill lands seconds before the next reminder.
        first = ["requested", "notified", "reminded", "notified"]
        self.poll("the first reminder", lambda: kinds(self.get(aid)) == first)
        self.restart()
        self.wait_audit(aid, ["requested", "notified", "reminded", "notified", "reminded",
                              "notified"])
        self.decide(aid, "alice", "approve")
        a, _ = self.wait_done(c, "approved")
        self.assertEqual(kinds(a), ["requested", "notified", "reminded", "notified", "reminded",
                                    "notified", "decided", "approved", "notified", "completed"])
        self.assertEqual([e["detail"]["sequence"] for e in a["audit"] if e["kind"] == "reminded"],
                         [1, 2])
        self.assertEqual(len(self.receiver.for_approval(aid)), 4)
        self.assert_no_duplicate_notifications([aid])



if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)  # optional test names
