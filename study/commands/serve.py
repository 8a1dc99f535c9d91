"""``study serve``: the app in a browser, through Textual's own textual-serve.

Each browser tab runs ``study`` (with the same ``--data`` and ``--decks``) in a process
of its own, on the same data folder: the progress database takes several processes as
it takes several terminals. On localhost (the default) there is no token: the machine's
own users are the ones who can reach it. On any other address every request needs the
access token, generated once, printed once, and kept owner-only in the data folder.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import secrets
import shlex
import sys
from pathlib import Path

from study.commands._common import CommandError
from study.core.paths import Paths

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_local(host: str) -> bool:
    """Whether only this machine can reach ``host`` (a loopback name or address)."""
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def access_token(path: Path, *, renew: bool = False) -> tuple[str, bool]:
    """The token kept in ``path`` (created owner-only when missing, or with ``renew``);
    and whether it is new."""
    if not renew:
        try:
            token = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            token = ""
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read the access token {path}: {exc}") from exc
        if token:
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
            return token, False
    token = secrets.token_urlsafe(24)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "w", encoding="ascii") as stream:
            stream.write(token + "\n")
    except OSError as exc:
        raise CommandError(f"cannot write the access token {path}: {exc}") from exc
    return token, True


def app_command(args: argparse.Namespace) -> str:
    """The shell command each browser session runs: this ``study`` on the same folders."""
    argv = [sys.executable, "-m", "study"]
    if args.data:
        argv += ["--data", str(Path(args.data).expanduser().resolve())]
    for deck in args.decks or []:
        argv += ["--decks", str(Path(deck).expanduser().resolve())]
    return shlex.join(argv)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the app until Ctrl+C."""
    if not 0 < args.port < 65536:
        raise CommandError(f"--port must be between 1 and 65535, not {args.port}")
    paths = Paths.resolve(args.data)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    if is_local(args.host):
        token = None
        banner = f"study: serving on http://{shown}:{args.port}/ (this machine only; Ctrl+C stops)"
    else:
        token, new = access_token(paths.serve_token, renew=args.new_token)
        where = "this machine's address" if args.host in ("0.0.0.0", "::") else shown
        address = f"http://{where}:{args.port}/?token="
        banner = (
            f"study: serving on {shown}:{args.port} for other machines; open "
            + (
                f"{address}{token}\nstudy: the token is shown once; it is kept in "
                f"{paths.serve_token} ('--new-token' replaces it)"
                if new
                else f"{address}TOKEN with the token kept in {paths.serve_token}"
            )
            + " (Ctrl+C stops)"
        )
    # textual-serve and aiohttp load only here (see study.commands._web)
    from study.commands._web import serve

    try:
        serve(app_command(args), host=args.host, port=args.port, token=token, banner=banner)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CommandError(
                f"port {args.port} is in use; try --port {_other_port(args.port)}"
            ) from None
        raise CommandError(f"cannot listen on {shown}:{args.port}: {exc.strerror or exc}") from exc
    return 0


def _other_port(port: int) -> int:
    """A port to suggest instead of ``port``."""
    return port + 1 if port < 65535 else 8001
