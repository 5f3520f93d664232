"""The app's server additions (ui/serve.py): which requests open a page, and the line their HTML gets."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket

import pytest

from ui import preload, serve

PAGES = ("timeline", "graph", "reader")
"""The app's pages other than the default one (app.PAGES)."""
HEADS = {"": "<script>default</script>", **{page: f"<script>{page}</script>" for page in PAGES}}
"""What the middleware adds to each page's HTML ("": the default page), as app.py gives it."""
HTML = b"<html><head><title>Streamlit</title></head><body><div id=root></div></body></html>"


@pytest.mark.parametrize(("path", "page"), [
    ("/timeline", "timeline"),
    ("/graph/", "graph"),
    ("/reader", "reader"),
    ("/proxy/prefix/timeline", "timeline"),   # under a base URL path or a host's prefix
    ("/", ""),                                # the default page, at the server's base URL
    ("/proxy/prefix/", ""),
    ("", ""),
    ("/matrix", None),
    ("/nope", None),                          # not a page of the app: left to Streamlit
    ("/_stcore/health", None),
    ("/static/js/index.js", None),
    ("/app/static/plot.js", None),
    ("/timeline/_stcore/health", None),
])
def test_page_of(path, page):
    assert serve.page_of(path, PAGES) == page


def test_the_markup_goes_at_the_end_of_the_head():
    out = serve.with_head(HTML, "<script>x</script>")
    head, body = out.split(b"</head>")
    assert head == b"<html><head><title>Streamlit</title><script>x</script>"
    assert body == b"<body><div id=root></div></body></html>"


def test_html_without_a_head_is_left_alone():
    assert serve.with_head(b"<p>no head</p>", "<script>x</script>") == b"<p>no head</p>"


def test_a_page_head_names_the_server_and_preloads_what_the_page_draws():
    markup = serve.page_head("timeline", ("plotly", "multiselect"))
    assert 'var page = "timeline"' in markup and "BACKEND_BASE_URL" in markup
    assert markup.endswith(preload.head_script("plotly", "multiselect"))


def test_the_default_page_head_only_preloads():
    assert serve.page_head("", ("plotly",)) == preload.head_script("plotly")
    assert serve.page_head("", ()) == ""


def test_a_page_name_cannot_close_the_script():
    out = serve.page_head("x</script><script>alert(1)//", ())
    assert out.count("<script>") == 1 and out.count("</script>") == 1


def _serve(path: str, *, content_type: bytes = b"text/html", status: int = 200, encoding: bytes | None = None,
           chunks: tuple[bytes, ...] = (HTML[:30], HTML[30:])) -> tuple[list[dict], dict]:
    """Run one GET through the middleware in front of a fake server; the messages sent and the scope seen."""
    seen: dict = {}

    async def downstream(scope, receive, send):
        seen.update(scope)
        headers = [(b"content-type", content_type), (b"content-length", str(len(HTML)).encode())]
        headers += [(b"content-encoding", encoding)] if encoding else []
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for k, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": k < len(chunks) - 1})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": "GET", "path": path,
             "headers": [(b"accept-encoding", b"gzip"), (b"host", b"x")]}
    # its own thread: the browser tests' Playwright keeps an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, serve.PageHead(downstream, heads=HEADS)(scope, receive, send)).result()
    return sent, seen


def _body(sent: list[dict]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.mark.parametrize(("path", "page"), [("/timeline", "timeline"), ("/", "")])
def test_a_page_gets_its_markup_with_its_length_and_uncompressed(path, page):
    sent, seen = _serve(path)
    body = _body(sent)
    assert body == serve.with_head(HTML, HEADS[page])
    headers = dict(sent[0]["headers"])
    assert headers[b"content-length"] == str(len(body)).encode()
    assert b"accept-encoding" not in dict(seen["headers"])
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]


@pytest.mark.parametrize("kind", ["unknown", "not html", "not found", "compressed", "file"])
def test_everything_else_passes_through_untouched(kind):
    path, options = {"unknown": ("/nope", {}), "not html": ("/timeline", {"content_type": b"application/json"}),
                     "not found": ("/timeline", {"status": 404}),
                     "compressed": ("/timeline", {"encoding": b"gzip"}),
                     "file": ("/static/js/index.js", {"content_type": b"text/javascript"})}[kind]
    sent, seen = _serve(path, **options)
    assert _body(sent) == HTML
    assert len(sent) == 3   # start and both body chunks, as the server sent them
    if kind in ("unknown", "file"):
        assert (b"accept-encoding", b"gzip") in seen["headers"]


def _listener() -> socket.socket:
    """A listening TCP socket on a free local port, made the way Streamlit makes its own (no protocol number)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def _accepted_no_delay(listener: socket.socket) -> int:
    """TCP_NODELAY of a connection the listener accepts."""
    with socket.create_connection(listener.getsockname()) as _client:
        accepted, _ = listener.accept()
        with accepted:
            return accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_connections_to_the_server_port_answer_without_delay():
    with _listener() as server, _listener() as other:
        assert _accepted_no_delay(server) == 0   # what Streamlit's own socket gives: Nagle on
        assert serve.no_delay(server.getsockname()[1]) == 1
        assert _accepted_no_delay(server) == 1
        assert _accepted_no_delay(other) == 0    # another port of the process is left alone


def test_no_listener_on_the_port_changes_nothing():
    with _listener() as server:
        port = server.getsockname()[1]
    assert serve.no_delay(port) == 0
