"""Serving the app: warm the server up before its first visitor; each page's HTML says what to load and where.

``streamlit run app.py`` finds the ``st.App`` that app.py declares when it is
imported (not when it runs as a session's script) and serves it with these three
additions to Streamlit's own server:

- :func:`lifespan` runs the app's script once on each page, headless, before
  the server takes its first connection, and waits for the other pages' imports
  the first run starts (:func:`ui.preload.warm_up`): the imports (pandas,
  pyarrow, the analysis package, pyvis), the dataset load and each page's view
  of the whole dataset are paid at start-up, not by the first visitor of each
  page. Whatever happens there (a missing dataset, an error) is left for the
  page to show: the warm-up only reports it.
- :func:`no_delay` turns Nagle's algorithm off on the server's listening socket, so
  every connection it accepts answers at once. Streamlit 1.67 binds that socket
  itself, without it (asyncio sets TCP_NODELAY only on sockets created with
  ``IPPROTO_TCP``): each small answer on a kept-alive connection then waited
  ~40 ms for the browser's delayed ACK, and a page with an empty browser cache
  asks for ~130 files, most of them small.
- :class:`PageHead` adds to the HTML of each page, in its head, the page's
  preload (:func:`ui.preload.head_script`: the browser starts loading the code of
  the page's widgets, charts and tables before the page connects to the server)
  and, on every page but the default one, a line that tells Streamlit's frontend
  where the server is. On its own, the frontend opened at ``/timeline`` first
  asks ``/timeline/_stcore/health`` (a 404), waits ~130 ms and only then tries
  ``/``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import Any

from ui import preload

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BASE_URL_JS = """<script>(function () {
  var page = %s, path = window.location.pathname.replace(/\\/+$/, "");
  if (window.__streamlit || path.slice(-page.length - 1) !== "/" + page) { return; }
  window.__streamlit = {BACKEND_BASE_URL: new URL(path.slice(0, -page.length), window.location.href).href};
})();</script>"""
"""Set ``window.__streamlit.BACKEND_BASE_URL`` (the setting hosts that embed Streamlit use) to the
browser's URL less the page's name: the server's base, however a proxy prefixed it. Only when the
URL does end with the page's name, and never over a host's own setting."""


def _open_fds() -> list[int]:
    """The file descriptors this process has open (every possible one where /proc is missing)."""
    try:
        return [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return list(range(3, 4096))


def no_delay(port: int) -> int:
    """Set TCP_NODELAY on this process's listening TCP sockets on ``port`` (connections inherit it); how many."""
    done = 0
    for fd in _open_fds():
        try:
            copy = os.dup(fd)
        except OSError:
            continue
        try:
            sock = socket.socket(fileno=copy)
        except OSError:   # not a socket
            os.close(copy)
            continue
        # closing closes the copy only: the option belongs to the socket, not to a descriptor
        with sock, contextlib.suppress(OSError):
            if (sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM
                    and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
                    and sock.getsockname()[1] == port):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                done += 1
    return done


async def run_page(page: str = "", *, timeout: float = 20.0) -> tuple[bool, str]:
    """Run the app's script once, headless, on ``page`` (a url_path; "": the default page, as at the root URL).

    What Streamlit's ``Runtime.does_script_run_without_error`` does, with the page chosen as a
    browser chooses it (``ClientState.page_name``): a session of its own, shut down afterwards.
    Streamlit has no public call for it, hence the runtime's private attributes; whatever goes wrong
    here, the caller only reports it (and a browser test checks the warm-up's log line).
    Returns (ran without an error, "ok" | "error" | "timeout").
    """
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.script_data import ScriptData
    from streamlit.runtime.state import SCRIPT_RUN_WITHOUT_ERRORS_KEY

    runtime = Runtime.instance()
    session = AppSession(script_data=ScriptData(runtime._main_script_path, runtime._is_hello),
                         uploaded_file_manager=runtime._uploaded_file_mgr, script_cache=runtime._script_cache,
                         message_enqueued_callback=runtime._enqueued_some_message,
                         user_info={"email": "test@example.com"})
    try:
        session.request_rerun(ClientState(page_name=page, query_string=""))
        deadline = time.perf_counter() + timeout
        while SCRIPT_RUN_WITHOUT_ERRORS_KEY not in session.session_state and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        if SCRIPT_RUN_WITHOUT_ERRORS_KEY not in session.session_state:
            return False, "timeout"
        ok = bool(session.session_state[SCRIPT_RUN_WITHOUT_ERRORS_KEY])
        return ok, "ok" if ok else "error"
    finally:
        session.shutdown()


def lifespan_for(pages: Iterable[str]) -> Callable[[object], contextlib.AbstractAsyncContextManager[None]]:
    """:func:`lifespan` that also runs each of ``pages`` (the url_paths of the other pages) once."""
    return functools.partial(lifespan, pages=tuple(pages))


@contextlib.asynccontextmanager
async def lifespan(_app: object, *, pages: tuple[str, ...] = ()) -> AsyncIterator[None]:
    """Before the server takes connections: answer without delay, run the app once on every page."""
    from streamlit import config

    sockets = no_delay(int(config.get_option("server.port")))
    started = time.perf_counter()
    try:
        ok, message = await run_page()
        await asyncio.to_thread(preload.wait_warmed_up)   # the other pages' modules (the run started it)
        outcome = "the app ran" if ok else f"the app's run ended with {message!r}: its page will say why"
        # a page's first run computes its view of the whole dataset (then cached) and takes code paths
        # no other page takes: 90 ms for the timeline, 130 ms for the graph, which its first visitor waited for
        others = [await run_page(page) for page in pages] if ok else []
        if others:
            outcome += f", then {sum(ran for ran, _ in others)} of {len(others)} other pages"
    except Exception as err:  # a failed warm-up must never keep the server from starting
        outcome = f"skipped ({err}): the first visitor pays for it"
    print(f"  Expert Lens warm-up: {outcome} ({time.perf_counter() - started:.1f} s); "
          f"TCP_NODELAY on {sockets} listening socket(s).", file=sys.stderr, flush=True)
    yield


def page_of(path: str, pages: Iterable[str]) -> str | None:
    """Which page a request path opens: one of ``pages`` (url_paths), "" for the server's base URL (the
    default page), None for anything else (Streamlit's files, its API, an unknown path)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last in pages:
        return last
    return "" if path.endswith("/") or not path else None


def page_head(page: str, elements: Iterable[str]) -> str:
    """What the HTML of ``page`` (a url_path, "" for the default page) gets in its head: the preload of
    ``elements`` (the page's widgets, charts and tables) and, away from the base URL, the server's address."""
    address = BASE_URL_JS % json.dumps(page).replace("<", "\\u003c") if page else ""
    return address + (preload.head_script(*elements) or "")


def with_head(body: bytes, markup: str) -> bytes:
    """``body`` (the app's HTML) with ``markup`` at the end of its head (left alone without a head)."""
    head_end = body.find(b"</head>")
    if head_end < 0 or not markup:
        return body
    return body[:head_end] + markup.encode() + body[head_end:]


class PageHead:
    """ASGI middleware: add each page's :func:`page_head` to the HTML that opens it; everything else passes
    through."""

    def __init__(self, app: ASGIApp, *, heads: Mapping[str, str]) -> None:
        """Wrap ``app`` (Streamlit's server); ``heads``: url_path ("" for the default page) -> markup."""
        self.app = app
        self.heads = dict(heads)
        self.pages = frozenset(page for page in heads if page)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request; a page's HTML (~13 kB) is read whole, given its markup, then sent."""
        is_get = scope["type"] == "http" and scope.get("method") == "GET"
        page = page_of(scope.get("path", ""), self.pages) if is_get else None
        markup = self.heads.get(page, "") if page is not None else ""
        if not markup:
            await self.app(scope, receive, send)
            return
        # ask for the HTML uncompressed, so the script can be added
        scope = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"])
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def edit(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if message.get("status") == 200 and html and b"content-encoding" not in headers:
                    start.update(message)
                    return
            elif start and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = with_head(b"".join(chunks), markup)
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
                message = {"type": "http.response.body", "body": body}
            await send(message)

        await self.app(scope, receive, edit)
