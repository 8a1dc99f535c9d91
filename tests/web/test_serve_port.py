"""``study serve`` says it is serving only once its port is bound, and a port in use is
one line and exit 1 (no browser needed)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.web.test_serve_browser import free_port


def serve(tmp_path: Path, port: int) -> subprocess.Popen[str]:
    data = tmp_path / "data"
    env = {**os.environ, "STUDY_HOME": str(data), "TZ": "UTC"}
    return subprocess.Popen(
        [sys.executable, "-m", "study", "--data", str(data), "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_port_in_use_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        process = serve(tmp_path, port)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert out == "", "nothing said to be served"
    assert err == f"study: port {port} is in use; try --port {port + 1}\n"


def test_serving_on_is_printed_once_the_port_listens(tmp_path: Path) -> None:
    port = free_port()
    process = serve(tmp_path, port)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith(f"study: serving on http://localhost:{port}/"), line
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # already listening when the line came: no wait, no retry
    finally:
        process.terminate()
        process.communicate(timeout=20)
