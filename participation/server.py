"""Serving an ASGI application with uvicorn, in one process or several worker processes."""

from __future__ import annotations

import os
import socket
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess


class TcpConfig(uvicorn.Config):
    def bind_socket(self) -> socket.socket:
        """uvicorn's listening socket for several workers, marked as TCP.

        uvicorn makes it with protocol 0, and asyncio turns Nagle's algorithm off (TCP_NODELAY)
        only on the connections of a socket marked IPPROTO_TCP: without the mark, every
        response of a worker process waited about 40 ms for the client's delayed ACK."""
        sock = super().bind_socket()
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return sock
        return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, sock.detach())


def serve(app: str, *, factory: bool, host: str, port: int, workers: int, access_log: bool) -> None:
    """Serve the application named `module:attribute` (the benchmark serves its ceiling
    through this too, so that both run with the same server settings)."""
    options: dict[str, Any] = {
        "factory": factory,
        "host": host,
        "port": port,
        "workers": workers,
        "proxy_headers": True,
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "access_log": access_log,
        "log_level": "info",
    }
    if workers <= 1:
        uvicorn.run(app, **options)
        return
    config = TcpConfig(app, **options)
    Multiprocess(config, sockets=[config.bind_socket()]).run()
