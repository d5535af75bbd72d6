"""A searchd of one's own on a loopback port, for tests and benchmarks (a production server is set up
as docs/scaling.md says)."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quotes.index.sphinx.config import config
from quotes.model import QuotesError

STARTUP_SECONDS = 30  # searchd listens within a second; a loaded machine may take longer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def searchd(data: Path, shards: int, name: str = "quotes") -> Iterator[str]:
    """searchd serving `shards` empty shards from `data` on a free loopback port: its backend URL. Stopped
    (and waited for) on leaving."""
    port = free_port()
    data.mkdir(parents=True, exist_ok=True)
    conf = data / f"{name}.conf"
    conf.write_text(config(shards, data, port, name), encoding="utf-8")
    started = subprocess.run(["searchd", "--config", str(conf)], capture_output=True, text=True)
    if started.returncode:
        raise QuotesError(f"searchd did not start: {started.stdout.strip().splitlines()[-1:]}")
    try:
        began = time.monotonic()
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() - began > STARTUP_SECONDS:
                    raise QuotesError(f"searchd did not listen on {port} in {STARTUP_SECONDS}s; see "
                                      f"{data}/searchd.log") from None
                time.sleep(0.2)
        yield f"sphinx://127.0.0.1:{port}/{name}"
    finally:
        subprocess.run(["searchd", "--config", str(conf), "--stopwait"], capture_output=True)
