"""A scripted OpenAI-compatible chat server for tests: real HTTP, no model, no key.

The stub serves `POST /v1/chat/completions` (plain JSON, or server-sent events when the
request sets `"stream": true`, as `ChatOpenAI` does under `stream_mode="messages"`). Every
request body is recorded; the answer comes from the first `Rule` that matches the request.
A request no rule matches is recorded too and answered with HTTP 400 (which the OpenAI client
does not retry), so a test fails with the request in hand instead of hanging on retries.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass(frozen=True)
class ChatRequest:
    """One recorded request body, with the views that rules and assertions need."""

    body: dict[str, Any]
    authorization: str | None = None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages") or [])

    @property
    def tool_names(self) -> list[str]:
        return [t["function"]["name"] for t in self.body.get("tools") or [] if "function" in t]

    @property
    def forced_tool(self) -> str | None:
        """The function named by `tool_choice`, when the request forces one."""
        choice = self.body.get("tool_choice")
        name = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
        return str(name) if name else None

    @property
    def last_user_text(self) -> str:
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return _text(message.get("content"))
        return ""

    @property
    def last_tool_result(self) -> dict[str, Any] | None:
        """The last message when it is a tool result, with `name` resolved from its call."""
        if not self.messages or self.messages[-1].get("role") != "tool":
            return None
        result = dict(self.messages[-1])
        for message in self.messages:
            for call in message.get("tool_calls") or []:
                if call.get("id") == result.get("tool_call_id"):
                    result["name"] = call["function"]["name"]
        return result


@dataclass(frozen=True)
class ToolCall:
    """Answer with one function call."""

    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Text:
    """Answer with plain assistant content."""

    content: str


@dataclass(frozen=True)
class Rule:
    """Answer `reply` when every condition that is set holds.

    offers: a tool of that name is in the request's `tools`.
    user_says: the last user message contains this (case-insensitive).
    after_tool: True / False: the last message is / is not a tool result; a string: the last
        message is the result of a call to that tool.
    """

    reply: ToolCall | Text
    offers: str | None = None
    user_says: str | None = None
    after_tool: bool | str | None = None

    def matches(self, request: ChatRequest) -> bool:
        if self.offers is not None and self.offers not in request.tool_names:
            return False
        if self.user_says is not None and self.user_says.lower() not in (
            request.last_user_text.lower()
        ):
            return False
        result = request.last_tool_result
        if isinstance(self.after_tool, bool):
            return self.after_tool == (result is not None)
        if isinstance(self.after_tool, str):
            return result is not None and result.get("name") == self.after_tool
        return True


@dataclass
class OpenAIStub:
    """The server; `start()` binds a free port on 127.0.0.1, `stop()` shuts it down."""

    rules: Sequence[Rule] = ()
    requests: list[ChatRequest] = field(default_factory=list)
    unmatched: list[ChatRequest] = field(default_factory=list)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    _port: int = 0
    _counter: int = 0

    @property
    def base_url(self) -> str:
        """What `OPENAI_BASE_URL` should be: the server's `/v1`."""
        return f"http://127.0.0.1:{self._port}/v1"

    def script(self, *rules: Rule) -> None:
        """Replace the rules and forget the requests recorded so far."""
        self.rules = rules
        self.requests.clear()
        self.unmatched.clear()

    def start(self) -> OpenAIStub:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        app = Starlette(routes=[Route("/v1/chat/completions", self._complete, methods=["POST"])])
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the OpenAI stub did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    async def _complete(self, http: Request) -> Response:
        request = ChatRequest(await http.json(), http.headers.get("authorization"))
        self.requests.append(request)
        rule = next((r for r in self.rules if r.matches(request)), None)
        if rule is None:
            self.unmatched.append(request)
            error = {"message": "no stub rule matches this request", "type": "invalid_request"}
            return JSONResponse({"error": error}, status_code=400)
        self._counter += 1
        message, finish = self._message(rule.reply)
        completion_id = f"chatcmpl-stub-{self._counter}"
        model = str(request.body.get("model") or "stub")
        if request.body.get("stream"):
            return StreamingResponse(
                _sse(completion_id, model, message, finish), media_type="text/event-stream"
            )
        return JSONResponse(
            {
                "id": completion_id,
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )

    def _message(self, reply: ToolCall | Text) -> tuple[dict[str, Any], str]:
        if isinstance(reply, Text):
            return {"role": "assistant", "content": reply.content}, "stop"
        call = {
            "id": f"call_stub_{self._counter}",
            "type": "function",
            "function": {"name": reply.name, "arguments": json.dumps(reply.arguments)},
        }
        return {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"


async def _sse(
    completion_id: str, model: str, message: dict[str, Any], finish: str
) -> AsyncIterator[str]:
    """The whole answer as one delta chunk, then the finish chunk, then `[DONE]`."""
    delta = dict(message)
    if "tool_calls" in delta:
        delta["tool_calls"] = [{"index": 0, **call} for call in delta["tool_calls"]]
    for choice in (
        {"index": 0, "delta": delta, "finish_reason": None},
        {"index": 0, "delta": {}, "finish_reason": finish},
    ):
        chunk = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [choice],
        }
        yield f"data: {json.dumps(chunk)}\n\n"
    yield "data: [DONE]\n\n"


def _text(content: Any) -> str:
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content or "")
