"""A scripted in-process stand-in for the engine's HTTP surface (http.server on port 0).

Scenarios decide what an Invoke and each callback call append to an execution's history. The
server records every request (raw path, headers, body) so tests can assert the exact wire bytes.
"""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional


class Execution:
    def __init__(self, arn: str, function: str, payload: bytes):
        self.arn = arn
        self.function = function
        self.input = json.loads(payload.decode("utf-8")) if payload else None
        self.events: list = []
        self.status = "RUNNING"
        self.result: Optional[str] = None
        self.error: Optional[dict] = None
        self.lock = threading.Lock()

    def add(self, event_type: str, **fields: Any) -> dict:
        event = {"EventType": event_type, "EventId": len(self.events) + 1,
                 "EventTimestamp": time.time(), f"{event_type}Details": {}}
        event.update(fields)
        self.events.append(event)
        return event

    def finish(self, result: Any = None, error: Optional[dict] = None) -> None:
        self.add("InvocationCompleted")
        if error is None:
            self.result = json.dumps(result)
            self.status = "SUCCEEDED"
            self.add("ExecutionSucceeded",
                     ExecutionSucceededDetails={"Result": {"Payload": self.result}})
        else:
            self.error, self.status = error, "FAILED"
            self.add("ExecutionFailed", ExecutionFailedDetails={"Error": {"Payload": error}})


class FakeEngine:
    """on_invoke(engine, execution); on_callback(engine, execution, verb, callback_id, body)."""

    def __init__(self, on_invoke: Callable, on_callback: Optional[Callable] = None):
        self.on_invoke = on_invoke
        self.on_callback = on_callback
        self.requests: list = []
        self.executions: dict = {}
        self.callbacks: dict = {}  # callback id -> Execution
        self.log_lines: list = []  # (function, line dict)
        engine = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                engine.dispatch(self, "GET")

            def do_POST(self):
                engine.dispatch(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeEngine":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def log(self, execution: Execution, record: Any) -> None:
        message = record if isinstance(record, str) else json.dumps(record)
        self.log_lines.append((execution.function, {"timestamp": int(time.time() * 1000),
                                                    "stream": "stdout", "message": message}))

    def open_callback(self, execution: Execution, callback_id: str) -> None:
        self.callbacks[callback_id] = execution

    def dispatch(self, request: BaseHTTPRequestHandler, method: str) -> None:
        raw_path, _, query = request.path.partition("?")
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        self.requests.append({"method": method, "path": request.path, "body": body,
                              "headers": dict(request.headers.items())})
        parts = [urllib.parse.unquote(p) for p in raw_path.split("/")[1:]]
        params = dict(urllib.parse.parse_qsl(query))
        status, headers, answer = self.route(method, parts, params, request.headers, body)
        request.send_response(status)
        for key, value in headers.items():
            request.send_header(key, value)
        request.send_header("Content-Length", str(len(answer)))
        request.end_headers()
        request.wfile.write(answer)

    def route(self, method, parts, params, headers, body):
        if method == "POST" and len(parts) == 4 and parts[1] == "functions":
            return self.invoke(parts[2], params, headers, body)
        if parts[:2] == ["2025-12-01", "durable-executions"] and len(parts) >= 3:
            execution = self.executions.get(parts[2])
            if execution is None:
                return self.error(404, "ResourceNotFoundException", "no such execution")
            with execution.lock:
                if len(parts) == 4 and parts[3] == "history":
                    return 200, {}, json.dumps({"Events": list(execution.events)}).encode()
                doc = {"DurableExecutionArn": execution.arn, "Status": execution.status}
                if execution.result is not None:
                    doc["Result"] = execution.result
                if execution.error is not None:
                    doc["Error"] = execution.error
                return 200, {}, json.dumps(doc).encode()
        if parts[:2] == ["2025-12-01", "durable-execution-callbacks"] and len(parts) == 4:
            execution = self.callbacks.get(parts[2])
            if execution is None or self.on_callback is None:
                return self.error(400, "InvalidParameterValueException", "unknown callback")
            with execution.lock:
                self.on_callback(self, execution, parts[3], parts[2], body)
            return 200, {}, b"{}"
        if parts[:3] == ["durable", "v1", "functions"] and parts[4:] == ["logs"]:
            since = int(params.get("since", "0"))
            lines = [l for f, l in self.log_lines if f == parts[3] and l["timestamp"] >= since]
            return 200, {}, json.dumps({"lines": lines}).encode()
        return self.error(404, "ResourceNotFoundException", "/".join(parts))

    def invoke(self, function, params, headers, body):
        if params.get("Qualifier") != "$LATEST":
            return self.error(400, "InvalidParameterValueException", "Qualifier")
        arn = (f"arn:aws:lambda:us-east-1:000000000000:function:{function}:$LATEST"
               f"/durable-execution/exec-{len(self.executions) + 1}/run")
        execution = Execution(arn, function, body)
        self.executions[arn] = execution
        with execution.lock:
            execution.add("ExecutionStarted", ExecutionStartedDetails={
                "Input": {"Payload": body.decode("utf-8")}})
            self.on_invoke(self, execution)
        kind = headers.get("X-Amz-Invocation-Type", "RequestResponse")
        out = {"X-Amz-Durable-Execution-Arn": arn, "X-Amz-Executed-Version": "$LATEST"}
        if kind == "Event":
            return 202, out, b""
        return 200, out, (execution.result or "null").encode()

    @staticmethod
    def error(status, kind, message):
        return status, {"X-Amzn-ErrorType": kind}, json.dumps({"message": message}).encode()
