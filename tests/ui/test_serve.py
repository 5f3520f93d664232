"""The app's server additions (ui/serve.py): which requests open a page, and the line their HTML gets."""

from __future__ import annotations

import asyncio

import pytest

from ui import serve

HTML = b"<html><head><title>Streamlit</title></head><body><div id=root></div></body></html>"


@pytest.mark.parametrize(("path", "page"), [
    ("/timeline", "timeline"),
    ("/graph/", "graph"),
    ("/reader", "reader"),
    ("/proxy/prefix/timeline", "timeline"),   # under a base URL path or a host's prefix
    ("/", None),                              # the default page needs nothing: its URL is the base
    ("/matrix", None),
    ("/nope", None),                          # not a page of the app: left to Streamlit
    ("/_stcore/health", None),
    ("/static/js/index.js", None),
    ("/app/static/plot.js", None),
    ("/timeline/_stcore/health", None),
])
def test_page_of(path, page):
    assert serve.page_of(path) == page


def test_the_script_goes_at_the_end_of_the_head():
    out = serve.with_base_url(HTML, "timeline")
    head, body = out.split(b"</head>")
    assert head.startswith(b"<html><head><title>Streamlit</title><script>")
    assert b'var page = "timeline"' in head and b"BACKEND_BASE_URL" in head
    assert body == b"<body><div id=root></div></body></html>"


def test_html_without_a_head_is_left_alone():
    assert serve.with_base_url(b"<p>no head</p>", "timeline") == b"<p>no head</p>"


def test_a_page_name_cannot_close_the_script():
    out = serve.with_base_url(HTML, "x</script><script>alert(1)//")
    assert out.count(b"<script>") == 1 and out.count(b"</script>") == 1


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
    asyncio.run(serve.BaseUrl(downstream)(scope, receive, send))
    return sent, seen


def _body(sent: list[dict]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_page_gets_the_script_with_its_length_and_uncompressed():
    sent, seen = _serve("/timeline")
    body = _body(sent)
    assert body == serve.with_base_url(HTML, "timeline")
    headers = dict(sent[0]["headers"])
    assert headers[b"content-length"] == str(len(body)).encode()
    assert b"accept-encoding" not in dict(seen["headers"])
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]


@pytest.mark.parametrize("kind", ["root", "not html", "not found", "compressed", "file"])
def test_everything_else_passes_through_untouched(kind):
    path, options = {"root": ("/", {}), "not html": ("/timeline", {"content_type": b"application/json"}),
                     "not found": ("/timeline", {"status": 404}),
                     "compressed": ("/timeline", {"encoding": b"gzip"}),
                     "file": ("/static/js/index.js", {"content_type": b"text/javascript"})}[kind]
    sent, seen = _serve(path, **options)
    assert _body(sent) == HTML
    assert len(sent) == 3   # start and both body chunks, as the server sent them
    if kind in ("root", "file"):
        assert (b"accept-encoding", b"gzip") in seen["headers"]
