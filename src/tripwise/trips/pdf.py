"""The print page as a PDF, made by a short-lived headless Chromium (Debian's, through Playwright).

The browser never fetches anything over the network, not even from this server: the page's HTML is
rendered by Django beforehand and handed to Chromium, static files are read from disk, and everything else
(map tiles) is refused. A server with one worker would otherwise wait on itself, and a tile server that
does not answer would hold the request. The map still shows the plan's lines and numbered stops; only the
background tiles are missing.

Making a PDF costs a browser start (about a second) and a few hundred MB, so at most PDF_SLOTS are made at
once; a request beyond that is told to try again instead of queueing behind them.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

from tripwise.core.errors import TripwiseError

__all__ = ["PDF_SLOTS", "chromium_path", "html_to_pdf"]

PDF_SLOTS = 2
PDF_TIMEOUT_S = 20.0
MAP_SETTLE_MS = 3000  # Leaflet draws right after load; this bounds the wait for it
# A plain counter under a thread lock, not an asyncio.Semaphore: under WSGI each async view runs in an event
# loop of its own, and an asyncio primitive is bound to the first loop that used it.
_lock = threading.Lock()
_busy = 0


def _take_slot() -> bool:
    global _busy
    with _lock:
        if _busy >= PDF_SLOTS:
            return False
        _busy += 1
        return True


def _give_slot() -> None:
    global _busy
    with _lock:
        _busy -= 1


def chromium_path() -> Path:
    return Path(getattr(settings, "CHROMIUM_PATH", "/usr/bin/chromium"))


def unavailable(reason: str) -> TripwiseError:
    return TripwiseError(
        "pdf_unavailable",
        f"{reason} Open the print page instead and use your browser's Print → Save as PDF.",
        status=503,
    )


def _static_file(path: str) -> Path | None:
    prefix = urlsplit(str(settings.STATIC_URL)).path
    if not path.startswith(prefix):
        return None
    relative = unquote(path[len(prefix) :])
    found = finders.find(relative)
    if isinstance(found, str):
        return Path(found)
    if settings.STATIC_ROOT:
        collected = (Path(settings.STATIC_ROOT) / relative).resolve()
        if collected.is_file() and Path(settings.STATIC_ROOT).resolve() in collected.parents:
            return collected
    return None


async def _render(html: str, page_url: str, executable: Path) -> bytes:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import Route, async_playwright

    async def serve(route: Route) -> None:
        url = route.request.url
        if url.split("#")[0] == page_url:
            await route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
            return
        found = _static_file(urlsplit(url).path) if url.startswith(page_url.split("/plans/")[0]) else None
        if found is None:
            await route.abort()
            return
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        await route.fulfill(status=200, content_type=kind, body=found.read_bytes())

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(executable), headless=True)
        try:
            page = await browser.new_page()
            await page.route("**/*", serve)
            await page.goto(page_url, wait_until="load")
            await page.emulate_media(media="print")
            # A page whose map did not draw (no plan points, a script error) is printed as it is.
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_selector(".leaflet-container", timeout=MAP_SETTLE_MS)
            pdf: bytes = await page.pdf(
                format="A4",
                print_background=True,
                margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"},
            )
            return pdf
        finally:
            await browser.close()


async def html_to_pdf(*, html: str, page_url: str) -> bytes:
    """The PDF of `html` as if it were served at `page_url` (absolute, http or https)."""
    executable = chromium_path()
    if not executable.is_file():
        raise unavailable(f"PDFs need Chromium, which is not installed at {executable}.")
    if not _take_slot():
        raise unavailable("Too many PDFs are being made right now: try again in a few seconds.")
    try:
        return await asyncio.wait_for(_render(html, page_url, executable), PDF_TIMEOUT_S)
    except TimeoutError:
        raise unavailable(f"Making the PDF took longer than {PDF_TIMEOUT_S:.0f} seconds.") from None
    except TripwiseError:
        raise
    except Exception as error:  # Playwright's errors: a browser that would not start, a crash
        raise unavailable(f"Chromium could not make the PDF ({type(error).__name__}).") from error
    finally:
        _give_slot()
