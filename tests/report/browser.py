"""A small Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (no extra dependency).

Chromium reads commands from its fd 3 and writes replies and events to fd 4,
each a JSON message ended by a NUL byte. :class:`Browser` opens a page, records
what a report must never do (console errors, uncaught exceptions, requests
that leave the page, JavaScript dialogs such as an injected ``alert``), and
takes screenshots.

Examples
--------
>>> with Browser() as b:                                     # doctest: +SKIP
...     page = b.open(Path("report.html"))
...     page.problems()
[]
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
    "--remote-debugging-pipe",
]
# Chromium's own GPU chatter (software WebGL in a headless box), not the page's.
NOISE = ("GPU stall due to ReadPixels", "Automatic fallback to software WebGL", "GL Driver Message",
         "WebGL: CONTEXT_LOST", "swiftshader")
LOCAL = ("file://", "data:", "blob:", "about:")


class BrowserError(RuntimeError):
    pass


class Browser:
    """Headless Chromium driven over the DevTools pipe."""

    def __init__(self, timeout: float = 120.0, width: int = 1280, height: int = 900):
        if CHROMIUM is None:
            raise BrowserError("no chromium on PATH")
        self.timeout, self.width, self.height = timeout, width, height
        self._ids = 0
        self._replies: dict[int, dict] = {}
        self._events: queue.Queue = queue.Queue()
        self._cond = threading.Condition()

    def __enter__(self) -> Browser:
        self._profile = tempfile.mkdtemp(prefix="framing-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire():  # in the child: its fd 3 reads our commands, its fd 4 carries replies
            r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 100)  # out of the way of 3 and 4 first
            w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 100)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self._proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self._profile}", f"--window-size={self.width},{self.height}",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, close_fds=False,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self._proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        os.close(self._to_child)
        shutil.rmtree(self._profile, ignore_errors=True)

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_child, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    with self._cond:
                        self._replies[msg["id"]] = msg
                        self._cond.notify_all()
                else:
                    self._events.put(msg)
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        self._ids += 1
        mid = self._ids
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._cond:
            while mid not in self._replies:
                if getattr(self, "_closed", False) or time.monotonic() > deadline:
                    raise BrowserError(f"no reply to {method}")
                self._cond.wait(0.5)
            reply = self._replies.pop(mid)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def open(self, path: Path, settle: float = 1.5, before: str | None = None) -> Page:
        """Open a local file in a new page and wait until it has loaded and its plots are drawn.

        ``before`` is a script run in the page before any of its own (e.g. to take an API away).
        """
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session, Path(path).resolve().as_uri())
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                         "deviceScaleFactor": 1, "mobile": False}, session)
        if before:
            self.send("Page.addScriptToEvaluateOnNewDocument", {"source": before}, session)
        self.send("Page.navigate", {"url": page.url}, session)
        page.wait_load()
        page.wait_quiet(settle)
        return page


class Page:
    """One page: its events, and what it did that a report must not do."""

    def __init__(self, browser: Browser, session: str, url: str):
        self.b, self.session, self.url = browser, session, url
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self._loaded = False

    def send(self, method: str, params: dict | None = None) -> dict:
        result = self.b.send(method, params, self.session)
        self._drain()
        return result

    def _drain(self, wait: float = 0.0) -> None:
        end = time.monotonic() + wait
        while True:
            try:
                msg = self.b._events.get(timeout=max(0.0, end - time.monotonic()) if wait else 0.0)
            except queue.Empty:
                return
            self._event(msg)

    def _event(self, msg: dict) -> None:
        if msg.get("sessionId") not in (None, self.session):
            return
        method, p = msg.get("method"), msg.get("params", {})
        if method == "Page.loadEventFired":
            self._loaded = True
        elif method == "Runtime.consoleAPICalled":
            line = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            self.console.append(f"{p.get('type')}: {line}")
            if p.get("type") in ("error", "assert", "warning") and not any(n in line for n in NOISE):
                self.errors.append(f"console.{p.get('type')}: {line}")
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            self.errors.append(f"uncaught: {d.get('text')} {d.get('exception', {}).get('description', '')}")
        elif method == "Log.entryAdded":
            e = p.get("entry", {})
            if e.get("level") in ("error", "warning") and not any(n in e.get("text", "") for n in NOISE):
                self.errors.append(f"log.{e.get('level')} ({e.get('source')}): {e.get('text')} {e.get('url', '')}")
        elif method == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if url != self.url and not url.startswith(LOCAL):
                self.requests.append(url)
            elif url.startswith("file://") and url.split("#")[0] != self.url:
                self.requests.append(url)
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(f"{p.get('type')}: {p.get('message')}")
            self.b.send("Page.handleJavaScriptDialog", {"accept": False}, self.session)

    def wait_load(self) -> None:
        end = time.monotonic() + self.b.timeout
        while not self._loaded:
            if time.monotonic() > end:
                raise BrowserError(f"{self.url} did not load")
            self._drain(0.2)

    def wait_quiet(self, settle: float) -> None:
        """Wait until the report's script has finished (its body's ``data-figures``; a page without
        packed figures has none to wait for) and every plot div holds a drawn plot, or drawing ended
        without plots (``unsupported``, ``failed``: nothing more will come), or the timeout; then
        ``settle`` seconds more."""
        end = time.monotonic() + self.b.timeout
        expr = ("['unsupported', 'failed'].indexOf(document.body.getAttribute('data-figures')) >= 0"
                " || ((!document.getElementById('figure-data') || document.body.hasAttribute('data-figures'))"
                " && Array.from(document.querySelectorAll('.plotly-graph-div'))"
                ".every(function (d) { return d.querySelector('.main-svg'); }))")
        while not self.evaluate(expr) and time.monotonic() < end:
            self._drain(0.3)
        self._drain(settle)

    def evaluate(self, expression: str):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise BrowserError(f"evaluate {expression!r}: {r['exceptionDetails'].get('text')}")
        return r.get("result", {}).get("value")

    def problems(self) -> list[str]:
        """Everything the page did that a report must not do."""
        self._drain(0.2)
        return ([*self.errors] + [f"request left the page: {u}" for u in self.requests]
                + [f"a script opened a dialog: {d}" for d in self.dialogs])

    def screenshot(self, path: Path, selector: str | None = None, full: bool = False, max_height: int = 16000) -> Path:
        """Save a PNG of the viewport, of the whole page, or of one element (scrolled into view)."""
        params: dict = {"format": "png", "captureBeyondViewport": bool(full or selector)}
        if selector:
            rect = self.evaluate(
                f"(function () {{ var e = document.querySelector({json.dumps(selector)}); if (!e) return null;"
                " var r = e.getBoundingClientRect();"
                " return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]; })()")
            if rect is None:
                raise BrowserError(f"no element {selector}")
            x, y, w, h = rect
            params["clip"] = {"x": x, "y": y, "width": w, "height": min(h, max_height), "scale": 1}
        elif full:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], max_height),
                              "scale": 1}
        data = self.send("Page.captureScreenshot", params)["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path
