"""HTTP client for the engine's Lambda-compatible control plane and its log endpoint (urllib only).

A Client holds only its endpoint and timeouts, so one instance may be used from several threads.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Optional

LAMBDA_VERSION = "2015-03-31"
DURABLE_VERSION = "2025-12-01"


class ClientError(Exception):
    """An HTTP error answer or a transport failure, with the engine's error type when given."""

    def __init__(self, operation: str, status: int, error_type: str, message: str):
        super().__init__(f"{operation} failed: HTTP {status} {error_type}: {message}".strip())
        self.operation = operation
        self.status = status
        self.error_type = error_type


@dataclass
class Response:
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> Optional[str]:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body.strip() else {}


def label(value: str) -> str:
    """Percent-encodes one path label (':' -> %3A, '/' -> %2F, '$' -> %24)."""
    return urllib.parse.quote(value, safe="")


class Client:
    def __init__(self, endpoint: str, timeout: float = 60.0, invoke_timeout: float = 900.0):
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout
        self.invoke_timeout = invoke_timeout

    def _call(self, operation: str, method: str, path: str, body: Optional[bytes] = None,
              headers: Optional[dict] = None, timeout: Optional[float] = None) -> Response:
        request = urllib.request.Request(self.endpoint + path, data=body, method=method,
                                         headers=dict(headers or {}))
        if body is not None and "Content-Type" not in request.headers:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as answer:
                return Response(answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as e:
            raw = e.read() or b""
            error_type = e.headers.get("X-Amzn-ErrorType", "") if e.headers else ""
            message = raw.decode("utf-8", "replace")
            try:
                parsed = json.loads(message)
                if isinstance(parsed, dict):
                    message = str(parsed.get("message", parsed.get("Message", message)))
            except ValueError:
                pass
            raise ClientError(operation, e.code, error_type.split(":")[0], message) from None
        except (urllib.error.URLError, OSError) as e:
            raise ClientError(operation, 0, "TransportError", str(e)) from None

    def invoke(self, function_name: str, payload: bytes, asynchronous: bool) -> Response:
        """Invoke with Qualifier=$LATEST; RequestResponse blocks until the execution ends."""
        path = (f"/{LAMBDA_VERSION}/functions/{label(function_name)}/invocations"
                f"?Qualifier={label('$LATEST')}")
        kind = "Event" if asynchronous else "RequestResponse"
        return self._call("Invoke", "POST", path, payload, {"X-Amz-Invocation-Type": kind},
                          timeout=self.timeout if asynchronous else self.invoke_timeout)

    def get_execution(self, arn: str) -> dict:
        path = f"/{DURABLE_VERSION}/durable-executions/{label(arn)}"
        return self._call("GetDurableExecution", "GET", path).json()

    def get_history(self, arn: str) -> dict:
        """One page with IncludeExecutionData=true; NextMarker is deliberately ignored."""
        path = (f"/{DURABLE_VERSION}/durable-executions/{label(arn)}/history"
                "?IncludeExecutionData=true")
        return self._call("GetDurableExecutionHistory", "GET", path).json()

    def _callback(self, operation: str, callback_id: str, verb: str, body: bytes) -> None:
        path = f"/{DURABLE_VERSION}/durable-execution-callbacks/{label(callback_id)}/{verb}"
        self._call(operation, "POST", path, body)

    def callback_success(self, callback_id: str, body: bytes) -> None:
        self._callback("SendDurableExecutionCallbackSuccess", callback_id, "succeed", body)

    def callback_failure(self, callback_id: str, error: dict) -> None:
        body = json.dumps(error).encode("utf-8")
        self._callback("SendDurableExecutionCallbackFailure", callback_id, "fail", body)

    def callback_heartbeat(self, callback_id: str) -> None:
        self._callback("SendDurableExecutionCallbackHeartbeat", callback_id, "heartbeat", b"")

    def function_logs(self, function_name: str, since_ms: int) -> list:
        """Engine-specific: captured handler output lines of a function since a time."""
        path = f"/durable/v1/functions/{label(function_name)}/logs?since={int(since_ms)}"
        lines = self._call("GetFunctionLogs", "GET", path).json().get("lines")
        return lines if isinstance(lines, list) else []
