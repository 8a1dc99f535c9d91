"""The web side of ``study serve``: textual-serve's server, behind an access check.

The only module that imports ``textual_serve`` and ``aiohttp``; imported by
``study.commands.serve`` when the command runs, so ``study`` and ``study review``
never load them (aiohttp and textual-serve take about 0.15 s to import).

The check is an aiohttp middleware wrapped around textual-serve's own application:
every request (the page, its scripts, the websocket that runs the app) must carry the
token, as ``?token=`` or as the cookie the page sets when it was opened with it;
without it the answer is a bare 403. A websocket must also come from the page's own
origin, so another site open in the same browser cannot drive the app.
"""

from __future__ import annotations

import asyncio
import hmac
import signal
from collections.abc import Awaitable, Callable
from contextlib import suppress
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from aiohttp.typedefs import Middleware
from textual_serve.server import Server

COOKIE = "study-token"
"""The cookie that carries the token once the page was opened with it."""

_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _same_origin(request: web.Request) -> bool:
    """Whether a websocket request comes from a page of this server (no Origin: not a
    browser page, allowed)."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def access_check(token: str | None) -> Middleware:
    """The middleware: the token (when there is one) on every request, and the page's own
    origin for the websocket."""

    @web.middleware
    async def check(request: web.Request, handler: _Handler) -> web.StreamResponse:
        if request.path == "/ws" and not _same_origin(request):
            return web.Response(status=403, text="forbidden\n")
        if token is None:
            return await handler(request)
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return web.Response(status=403, text="forbidden: open the address with its token\n")
        response = await handler(request)
        if "token" in request.query and not response.prepared:
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict")
        return response

    return check


class StudyServer(Server):
    """textual-serve's server: its routes and app processes, the access check in front,
    and page addresses taken from the request (so a phone reaching ``0.0.0.0`` through the
    machine's address gets a websocket address it can reach)."""

    def __init__(
        self, command: str, *, host: str, port: int, token: str | None, banner: str
    ) -> None:
        super().__init__(command, host=host, port=port, title="study")
        self.token = token
        self.banner = banner
        self.sessions: set[asyncio.Task[object]] = set()
        """The websocket handlers running an app, ended (each app told to quit) on Ctrl+C."""

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(access_check(self.token))
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with its addresses relative to the host the browser asked for."""
        origin = f"{request.scheme}://{request.host}"
        context = {
            "font_size": _int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{'wss' if request.scheme == 'https' else 'ws'}://"
            f"{request.host}/ws",
            "config": {"static": {"url": f"{origin}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's websocket, counted so that stopping the server ends its app."""
        task = asyncio.current_task()
        if task is not None:
            self.sessions.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions.discard(task)

    def serve(self, debug: bool = False) -> None:
        """textual-serve's ``serve``, with the banner printed once the port is bound (its
        own prints nothing, and ``on_startup`` runs before the bind: a port in use would
        have been announced as served)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with suppress(NotImplementedError):
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=self._bound,
        )

    def _bound(self, *_: object) -> None:
        """Called by aiohttp once every socket listens."""
        print(self.banner, flush=True)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing (textual-serve prints its logo here, before the port is bound)."""

    async def on_shutdown(self, app: web.Application) -> None:
        """End the open sessions: each app is told to quit (it saves as on 'q')."""
        for task in list(self.sessions):
            task.cancel()
        await asyncio.gather(*self.sessions, return_exceptions=True)

    def initialize_logging(self) -> None:
        """No log handler of its own: one-line messages from the command only."""


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def serve(command: str, *, host: str, port: int, token: str | None, banner: str) -> None:
    """Serve the app ``command`` runs until Ctrl+C (or SIGTERM)."""
    StudyServer(command, host=host, port=port, token=token, banner=banner).serve()
