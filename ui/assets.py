"""Serve the browser's files from memory: Streamlit's build and the app's ``static/``, compressed once.

A cold page asks the server for ~130 files: Streamlit's frontend, split into
small hashed modules, and the app's own libraries (the charts' plotly.js, the
graph's vis-network). Streamlit serves each from disk through Starlette's
``StaticFiles`` (a file-system check and a read in a worker thread: ~3 ms a
file here) and gzips the app's files again for every request (plotly.js, 1.2 MB:
~45 ms). The server and the browser share the machine's cores while a page
loads, so that time comes off the page. :class:`StaticAssets` answers those
requests itself: each file is read once, compressed once (gzip, level 9, when
that makes it smaller), and then sent from memory (under 1 ms a file).

It keeps Streamlit's caching contract: the build's hashed files are immutable
for a year, the app's files are ``no-cache`` with an ETag (a revalidation gets a
304). Anything it does not know (another path, a missing file, a Range or
non-GET request, a file type not on the list) goes to Streamlit as before.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ui.serve import ASGIApp, Receive, Scope, Send

TYPES = {".js": "application/javascript", ".mjs": "application/javascript", ".css": "text/css",
         ".json": "application/json", ".map": "application/json", ".svg": "image/svg+xml",
         ".html": "text/html", ".txt": "text/plain", ".png": "image/png", ".jpg": "image/jpeg",
         ".ico": "image/x-icon", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf"}
"""The file types served from memory, with their content types; other files go to Streamlit."""
COMPRESSIBLE = {".js", ".mjs", ".css", ".json", ".map", ".svg", ".html", ".txt", ".ttf"}
IMMUTABLE = b"public, immutable, max-age=31536000"
"""Streamlit's cache header for the hashed files of its build."""
MIN_GZIP = 1024


@dataclass(frozen=True)
class Asset:
    """One file as it is sent: its bytes, their gzip when smaller, its type, ETag and cache header."""

    body: bytes
    gzipped: bytes | None
    content_type: bytes
    etag: bytes
    cache: bytes


def load(path: Path, *, cache: bytes) -> Asset:
    """Read ``path`` and compress it if that pays (the work done once per file and process)."""
    body = path.read_bytes()
    suffix = path.suffix.lower()
    packed = gzip.compress(body, 9, mtime=0) if suffix in COMPRESSIBLE and len(body) >= MIN_GZIP else None
    etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
    return Asset(body, packed if packed is not None and len(packed) < len(body) else None,
                 TYPES[suffix].encode(), etag, cache)


def _inside(root: Path, relative: str) -> Path | None:
    """The file ``relative`` names under ``root``, or None when it is not a plain file inside it."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    path = root.joinpath(*parts)
    if path.suffix.lower() not in TYPES:
        return None
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_file() or not resolved.is_relative_to(root.resolve()):
        return None
    return resolved


def _header(scope: Scope, name: bytes) -> bytes:
    """The value of request header ``name`` (lower case), b"" when absent."""
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value
    return b""


class StaticAssets:
    """ASGI middleware: serve files under ``<base>/<prefix>`` for each ``prefix -> (folder, cache header)``
    from memory; everything else passes through to ``app``."""

    def __init__(self, app: ASGIApp, *, folders: Mapping[str, tuple[Path, bytes]], base: str = "") -> None:
        """``folders``: URL prefix (e.g. ``"static/"``) -> (folder, Cache-Control); ``base``: the server's
        base URL path (``server.baseUrlPath``), which prefixes every URL."""
        self.app = app
        base = base.strip("/")
        self.folders = {("/" + base + "/" if base else "/") + prefix: (Path(root), cache)
                        for prefix, (root, cache) in folders.items()}
        self.assets: dict[Path, Asset] = {}
        self.lock = threading.Lock()

    def find(self, path: str) -> Asset | None:
        """The asset a request path names, loaded on first use (None: not ours to serve)."""
        for prefix, (root, cache) in self.folders.items():
            if path.startswith(prefix):
                file = _inside(root, path[len(prefix):])
                if file is None:
                    return None
                asset = self.assets.get(file)
                if asset is None:
                    with self.lock:
                        asset = self.assets.get(file) or load(file, cache=cache)
                        self.assets[file] = asset
                return asset
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a GET or HEAD of a known file from memory; pass anything else on."""
        method = scope.get("method")
        asset = None
        if scope["type"] == "http" and method in ("GET", "HEAD") and not _header(scope, b"range"):
            try:
                asset = self.find(scope.get("path", ""))
            except OSError:
                asset = None   # unreadable now: Streamlit will say so
        if asset is None:
            await self.app(scope, receive, send)
            return
        headers = [(b"content-type", asset.content_type), (b"cache-control", asset.cache),
                   (b"etag", asset.etag), (b"vary", b"Accept-Encoding")]
        if asset.etag in _header(scope, b"if-none-match"):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body = asset.body
        if asset.gzipped is not None and b"gzip" in _header(scope, b"accept-encoding"):
            body = asset.gzipped
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})


def streamlit_assets(app: ASGIApp) -> StaticAssets:
    """:class:`StaticAssets` for this app: Streamlit's hashed build under ``static/`` (immutable), and the app's
    ``static/`` folder under ``app/static/`` (revalidated) when ``server.enableStaticServing`` is on."""
    import streamlit
    from streamlit import config

    folders = {"static/": (Path(streamlit.__file__).resolve().parent / "static" / "static", IMMUTABLE)}
    if config.get_option("server.enableStaticServing"):
        folders["app/static/"] = (Path(__file__).resolve().parent.parent / "static", b"no-cache")
    return StaticAssets(app, folders=folders, base=str(config.get_option("server.baseUrlPath") or ""))
