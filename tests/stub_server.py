"""A loopback OpenAI-compatible stub: answers ``/v1/chat/completions`` with a valid payload for
whatever schema was asked, after a fixed latency, unless a scripted fault comes first.

    with StubServer(latency_s=0.3) as stub:
        stub.script(status(429, headers={"Retry-After": "1"}), reset())   # the next two requests
        settings = Settings(base_url=stub.url, api_key="sk-...", model="openai/stub")
        ...
        stub.requests[0].headers["authorization"]                          # what the client sent

Used by the fault-injection and secret-scan tests and by ``benchmarks/batch_orchestration.py``:
the real ``OpenAICompatBackend`` (openai SDK + instructor) talks to it over a socket, so what is
tested is the wire, not a mock. It binds 127.0.0.1 on a port the OS picks and serves until the
``with`` block ends; a stalled request waits at most its scripted seconds (or until shutdown).

The default answer fills the requested JSON Schema minimally (nulls, empty lists, the first enum
value); for a whole-article request it also returns one event per article whose ``evidence`` is
the article's first sentence, copied from the ``<article>`` block in the prompt, so grounding
keeps something.
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT = object()  # "the valid answer the stub would give anyway"


@dataclass(frozen=True)
class Behaviour:
    """What the stub does with one request. Build these with the functions below."""

    kind: str  # "answer" | "status" | "raw" | "reset" | "stall"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # status/raw: the body (dict -> JSON, str/bytes as is)
    payload: Any = DEFAULT  # answer: the JSON object (or raw text) put in content / tool arguments
    finish_reason: str = "stop"
    refusal: str | None = None
    choices: list[Any] | None = None  # answer: replaces the choices list outright (e.g. [])
    truncate: int | None = None  # answer: cut the serialized payload to this many characters
    seconds: float = 0.0  # stall


def answer(payload: Any = DEFAULT, *, finish_reason: str = "stop", refusal: str | None = None,
           choices: list[Any] | None = None, truncate: int | None = None) -> Behaviour:
    """A 200 chat completion; by default the valid answer, else ``payload`` in its place."""
    return Behaviour("answer", payload=payload, finish_reason=finish_reason, refusal=refusal,
                     choices=choices, truncate=truncate)


def status(code: int, body: Any = None, headers: dict[str, str] | None = None) -> Behaviour:
    """An HTTP error in OpenAI's error shape unless ``body`` says otherwise."""
    if body is None:
        body = {"error": {"message": f"stub error {code}", "type": "stub_error", "code": code}}
    return Behaviour("status", status=code, body=body, headers=dict(headers or {}))


def raw(body: str | bytes, content_type: str = "application/json", code: int = 200) -> Behaviour:
    """Any bytes with any content type: e.g. a proxy's HTML page where JSON was expected."""
    return Behaviour("raw", status=code, body=body, headers={"Content-Type": content_type})


def reset() -> Behaviour:
    """Read the request, then drop the connection with a TCP RST and no answer."""
    return Behaviour("reset")


def stall(seconds: float) -> Behaviour:
    """Read the request, say nothing for ``seconds`` (past the client's read timeout), then close."""
    return Behaviour("stall", seconds=seconds)


@dataclass
class Recorded:
    t: float  # time.monotonic() when the request had been read
    path: str
    headers: dict[str, str]  # lower-cased names
    raw: bytes
    behaviour: str

    @property
    def body(self) -> dict[str, Any]:
        try:
            return json.loads(self.raw)
        except ValueError:
            return {}


# --- the default answer ------------------------------------------------------------------

_ARTICLE = re.compile(r'<article id="[^"]*">\n(.*?)\n</article>', re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z])")


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def minimal(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """The smallest instance of a JSON Schema as pydantic writes them: nulls, [], first enum value."""
    defs = defs if defs is not None else schema.get("$defs", {})
    schema = _resolve(schema, defs)
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        if any(o.get("type") == "null" for o in options):
            return None
        return minimal(options[0], defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: minimal(props[name], defs) for name in schema.get("required", props)}
    if kind == "array":
        return [minimal(schema.get("items", {}), defs) for _ in range(schema.get("minItems", 0))]
    return {"string": "", "integer": 0, "number": 0, "boolean": False, "null": None}.get(kind)


def first_sentence(text: str) -> str:
    """The article's first sentence of eight words or more ending in a full stop (headlines and
    banners are skipped), exactly as written; "" when there is none."""
    for line in text.splitlines():
        for sentence in _SENTENCE_END.split(line.strip()):
            if sentence.endswith(".") and len(sentence.split()) >= 8:
                return sentence
    return ""


def valid_answer(body: dict[str, Any]) -> Any:
    """What a well-behaved model would return for this request."""
    schema = _requested_schema(body)
    if schema is None:
        return "stub answer"
    value = minimal(schema)
    defs = schema.get("$defs", {})
    events = _resolve(schema, defs).get("properties", {}).get("events", {})
    item = _resolve(events.get("items", {}), defs)
    prompt = "\n".join(str(m.get("content") or "") for m in body.get("messages", []))
    found = _ARTICLE.search(prompt)
    sentence = first_sentence(found.group(1)) if found else ""
    if isinstance(value, dict) and "evidence" in item.get("properties", {}) and sentence:
        value["events"] = [{**minimal(item, defs), "evidence": sentence, "kind": "other"}]
    return value


def _requested_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    tools = body.get("tools") or []
    if tools:
        return tools[0].get("function", {}).get("parameters")
    rf = body.get("response_format") or {}
    if rf.get("type") == "json_schema":
        return rf.get("json_schema", {}).get("schema")
    if rf.get("type") == "json_object":
        return rf.get("schema")
    return None


def completion(body: dict[str, Any], b: Behaviour) -> dict[str, Any]:
    payload = valid_answer(body) if b.payload is DEFAULT else b.payload
    text = payload if isinstance(payload, str) else json.dumps(payload)
    if b.truncate is not None:
        text = text[: b.truncate]
    tools = body.get("tools") or []
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
    finish = b.finish_reason
    if b.refusal is not None:
        message.update(content=None, refusal=b.refusal)
    elif tools:
        name = tools[0].get("function", {}).get("name", "tool")
        message.update(content=None, tool_calls=[{"id": "call_stub", "type": "function",
                                                   "function": {"name": name, "arguments": text}}])
        finish = "tool_calls" if finish == "stop" else finish
    prompt_chars = sum(len(str(m.get("content") or "")) for m in body.get("messages", []))
    choices = b.choices if b.choices is not None else [{"index": 0, "message": message, "finish_reason": finish}]
    return {
        "id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()),
        "model": body.get("model", "stub"), "choices": choices,
        "usage": {"prompt_tokens": prompt_chars // 4 + 1, "completion_tokens": len(text) // 4 + 1,
                  "total_tokens": prompt_chars // 4 + len(text) // 4 + 2},
    }


# --- the server --------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real endpoints do
    disable_nagle_algorithm = True  # as real servers do: else headers and body sent apart cost ~40 ms
    timeout = 10  # an idle keep-alive connection ends on its own
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._send(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        began = time.thread_time()
        try:
            self._post()
        finally:  # the stub's own CPU, so a benchmark can tell it apart from the client's
            self.server.stub._add_cpu(time.thread_time() - began)

    def _post(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        stub = self.server.stub
        b = stub._next(data)
        stub._record(Recorded(time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()},
                              data, b.kind))
        if b.kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if b.kind == "stall":
            stub._closing.wait(b.seconds)
            self.close_connection = True
            return
        if stub.latency_s:
            stub._closing.wait(stub.latency_s)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"no route {self.path}"}})
        elif b.kind == "answer":
            try:
                body = json.loads(data)
            except ValueError:
                self._send(400, {"error": {"message": "request body is not JSON"}})
                return
            self._send(200, completion(body, b))
        else:
            self._send(b.status, b.body, b.headers)

    def _send(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = body if isinstance(body, bytes) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        self.send_response(code)
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    stub: StubServer


class StubServer:
    """A context manager serving an OpenAI-compatible API on 127.0.0.1 (see module doc)."""

    def __init__(self, latency_s: float = 0.0):
        self.latency_s = latency_s
        self.requests: list[Recorded] = []
        self.cpu_s = 0.0  # CPU the stub's handler threads spent (it shares the process and the GIL)
        self._queue: deque[Behaviour] = deque()
        self._targeted: dict[bytes, deque[Behaviour]] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # scripting
    def script(self, *behaviours: Behaviour, when: str | None = None) -> StubServer:
        """The next requests get these behaviours, in order; after them, valid answers again.
        With ``when``, only requests whose body contains that text (e.g. one article's words)
        use this queue, so a fault can target one article whatever the concurrency."""
        with self._lock:
            if when is None:
                self._queue.extend(behaviours)
            else:
                self._targeted.setdefault(when.encode(), deque()).extend(behaviours)
        return self

    def always(self, behaviour: Behaviour, when: str | None = None, times: int = 1000) -> StubServer:
        return self.script(*([behaviour] * times), when=when)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._targeted.clear()
            self.requests.clear()

    def _next(self, data: bytes) -> Behaviour:
        with self._lock:
            for needle, queue in self._targeted.items():
                if queue and needle in data:
                    return queue.popleft()
            return self._queue.popleft() if self._queue else answer()

    def _add_cpu(self, seconds: float) -> None:
        with self._lock:
            self.cpu_s += seconds

    def _record(self, rec: Recorded) -> None:
        with self._lock:
            self.requests.append(rec)

    # lifecycle
    @property
    def url(self) -> str:
        assert self._server is not None, "use StubServer as a context manager"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def gaps(self) -> list[float]:
        """Seconds between consecutive requests, as the stub saw them."""
        times = [r.t for r in self.requests]
        return [b - a for a, b in zip(times, times[1:], strict=False)]

    def __enter__(self) -> StubServer:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="stub-server", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
