"""The service's HTTP protocol turns Nagle's algorithm off even on sockets uvicorn made with protocol number 0."""

from __future__ import annotations

import asyncio
import socket

import uvicorn
from uvicorn.server import ServerState

from service.tcp import NoDelayHttpToolsProtocol


def _app(*_: object) -> None:
    """An app that never serves: the test stops once the connection is made."""


def test_connections_get_tcp_nodelay_whatever_the_listening_socket() -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, as uvicorn's bind_socket() makes it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    try:
        assert accepted.proto == 0 and not accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        config = uvicorn.Config(_app, log_config=None, interface="asgi3")
        config.load()

        class Transport(asyncio.Transport):
            def get_extra_info(self, name: str, default: object = None) -> object:
                return {"socket": accepted, "peername": ("127.0.0.1", 1), "sockname": ("127.0.0.1", 2)}.get(
                    name, default)

        loop = asyncio.new_event_loop()
        try:
            protocol = NoDelayHttpToolsProtocol(config=config, server_state=ServerState(), app_state={}, _loop=loop)
            protocol.connection_made(Transport())
        finally:
            loop.close()
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        for sock in (client, accepted, listener):
            sock.close()
