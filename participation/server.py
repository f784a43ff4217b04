"""Serving an ASGI application with uvicorn, in one process or several worker processes."""

from __future__ import annotations

import os
import socket
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess


class WorkerSocket(socket.socket):
    """The listening address of several worker processes: each worker opens a socket of its
    own on it (SO_REUSEPORT), and the kernel spreads new connections over them.

    uvicorn hands one socket to all workers, and asyncio accepts every connection waiting on
    it at once: when a few clients connected together (a proxy's kept-alive connections, the
    benchmark's ten), one worker took them all and the others stayed idle. This socket is
    bound in the supervisor, which never listens on it; sent to a worker, it arrives as the
    worker's own socket for the same address."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (worker_socket, (self.family, self.getsockname()))


def worker_socket(family: int, address: tuple[Any, ...], cls: type = socket.socket) -> Any:
    """A TCP socket bound to `address` with SO_REUSEPORT, not yet listening. Marked as TCP
    (IPPROTO_TCP), so that asyncio turns Nagle's algorithm off on its connections: without
    the mark every response waited about 40 ms for the client's delayed ACK."""
    sock = cls(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def listening_sockets(port: int) -> int:
    """How many sockets listen on TCP `port` on this host (each worker that has started has
    one): a server's first answer comes from the worker that started first, so whoever needs
    all of them, as the benchmark does, waits until this reaches the worker count."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as lines:
                next(lines)
                for line in lines:
                    fields = line.split()  # local address, state: 0A is LISTEN
                    port_hex, state = fields[1].rsplit(":", 1)[1], fields[3]
                    count += state == "0A" and int(port_hex, 16) == port
        except OSError:
            continue
    return count


class TcpConfig(uvicorn.Config):
    def bind_socket(self) -> socket.socket:
        """The address to listen on, as a `WorkerSocket` (uvicorn's own bind checks the
        address and logs it; its socket is given up for one that others may bind too)."""
        sock = super().bind_socket()
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return sock
        family, address = sock.family, sock.getsockname()
        sock.close()
        bound: socket.socket = worker_socket(family, address, WorkerSocket)
        bound.set_inheritable(True)
        return bound


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
