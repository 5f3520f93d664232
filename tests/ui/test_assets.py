"""Serving the browser's files from memory (ui/assets.py): what is answered, how, and what is left to Streamlit."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
from pathlib import Path

import pytest

from ui import assets

JS = b"function hello() { return 'hello, world'; }\n" * 100   # compressible, over MIN_GZIP
PASSED = b"streamlit's answer"


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, tuple[Path, bytes]]:
    """A build folder (immutable) and an app folder (revalidated), with a file of each kind."""
    build, app = tmp_path / "build", tmp_path / "app"
    (build / "js").mkdir(parents=True)
    (build / "js" / "index.abc123.js").write_bytes(JS)
    (build / "media").mkdir()
    (build / "media" / "font.woff2").write_bytes(b"\x00woff2" * 400)
    app.mkdir()
    (app / "plot.js").write_bytes(JS)
    (app / "tiny.css").write_bytes(b"a{b:c}")
    (app / "notes.py").write_bytes(b"secret = 1")
    (app / ".env").write_bytes(b"KEY=1")
    (tmp_path / "outside.js").write_bytes(b"outside")
    return {"static/": (build, assets.IMMUTABLE), "app/static/": (app, b"no-cache")}


def _get(middleware: assets.StaticAssets, path: str, *, method: str = "GET",
         headers: dict[bytes, bytes] | None = None) -> tuple[int, dict[bytes, bytes], bytes]:
    """One request through the middleware: (status, headers, body)."""
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": path, "headers": list((headers or {}).items())}
    with concurrent.futures.ThreadPoolExecutor(1) as pool:   # Playwright may run a loop in this thread
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    start = sent[0]
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


async def _streamlit(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": PASSED})


def test_a_build_file_is_sent_from_memory_compressed_and_immutable(folders):
    mw = assets.StaticAssets(_streamlit, folders=folders)
    status, headers, body = _get(mw, "/static/js/index.abc123.js", headers={b"accept-encoding": b"gzip, br"})
    assert status == 200 and gzip.decompress(body) == JS and len(body) < len(JS) / 5
    assert headers[b"content-encoding"] == b"gzip" and headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"content-type"] == b"application/javascript"
    assert headers[b"cache-control"] == assets.IMMUTABLE and headers[b"vary"] == b"Accept-Encoding"


def test_without_gzip_in_the_request_the_file_is_sent_as_it_is(folders):
    mw = assets.StaticAssets(_streamlit, folders=folders)
    status, headers, body = _get(mw, "/app/static/plot.js")
    assert status == 200 and body == JS and b"content-encoding" not in headers
    assert headers[b"cache-control"] == b"no-cache" and headers[b"etag"].startswith(b'"')


def test_small_and_binary_files_are_not_compressed(folders):
    mw = assets.StaticAssets(_streamlit, folders=folders)
    for path in ("/app/static/tiny.css", "/static/media/font.woff2"):
        _, headers, _ = _get(mw, path, headers={b"accept-encoding": b"gzip"})
        assert b"content-encoding" not in headers, path


def test_a_revalidation_with_the_same_etag_gets_a_304(folders):
    mw = assets.StaticAssets(_streamlit, folders=folders)
    _, headers, _ = _get(mw, "/app/static/plot.js")
    status, _, body = _get(mw, "/app/static/plot.js", headers={b"if-none-match": headers[b"etag"]})
    assert status == 304 and body == b""
    assert _get(mw, "/app/static/plot.js", headers={b"if-none-match": b'"other"'})[0] == 200


def test_head_sends_the_headers_only(folders):
    mw = assets.StaticAssets(_streamlit, folders=folders)
    status, headers, body = _get(mw, "/app/static/plot.js", method="HEAD")
    assert status == 200 and body == b"" and headers[b"content-length"] == str(len(JS)).encode()


def test_each_file_is_read_once(folders, monkeypatch):
    mw = assets.StaticAssets(_streamlit, folders=folders)
    loads: list[Path] = []
    real = assets.load
    monkeypatch.setattr(assets, "load", lambda path, *, cache: loads.append(path) or real(path, cache=cache))
    for _ in range(3):
        _get(mw, "/app/static/plot.js")
    assert len(loads) == 1


@pytest.mark.parametrize("path", [
    "/static/js/missing.js",          # Streamlit answers (its index.html fallback)
    "/app/static/notes.py",           # not a type served from memory
    "/app/static/.env",               # hidden files
    "/app/static/../outside.js",      # out of the folder
    "/app/static/sub/../plot.js",
    "/app/static/%2e%2e/outside.js",
    "/app/static/",
    "/static/js\\index.abc123.js",
    "/_stcore/health",
    "/timeline",
])
def test_anything_else_goes_to_streamlit(folders, path):
    mw = assets.StaticAssets(_streamlit, folders=folders)
    assert _get(mw, path)[2] == PASSED


@pytest.mark.parametrize(("method", "headers"), [("POST", {}), ("GET", {b"range": b"bytes=0-10"})])
def test_other_requests_go_to_streamlit(folders, method, headers):
    mw = assets.StaticAssets(_streamlit, folders=folders)
    assert _get(mw, "/app/static/plot.js", method=method, headers=headers)[2] == PASSED


def test_under_a_base_url_path_the_files_are_found_there(folders):
    mw = assets.StaticAssets(_streamlit, folders=folders, base="/tools/lens/")
    assert _get(mw, "/tools/lens/app/static/plot.js")[2] == JS
    assert _get(mw, "/app/static/plot.js")[2] == PASSED


def test_the_app_serves_streamlits_build_and_its_own_static_folder():
    mw = assets.streamlit_assets(_streamlit)
    roots = {prefix: root for prefix, (root, _) in mw.folders.items()}
    assert (roots["/static/"] / "js").is_dir()
    assert (roots["/app/static/"] / "plot.js").is_file()   # server.enableStaticServing is on
