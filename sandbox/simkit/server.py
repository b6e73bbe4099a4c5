"""Serve a WSGI app on loopback, in the foreground (`python -m ...`) or in a thread (tests, the sandbox)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

WsgiApp = Callable[..., Any]


@dataclass
class RunningServer:
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    @property
    def url(self) -> str:
        return f"http://{self.server.host}:{self.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _quiet_werkzeug() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def serve_in_thread(wsgi_app: WsgiApp, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    _quiet_werkzeug()
    server = make_server(host, port, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=f"sim-{server.server_port}", daemon=True)
    thread.start()
    return RunningServer(server=server, thread=thread)


def serve_forever(wsgi_app: WsgiApp, host: str, port: int) -> None:
    _quiet_werkzeug()
    server = make_server(host, port, wsgi_app, threaded=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
