"""The HTTP protocol the service runs: uvicorn's own, with Nagle's algorithm off on every connection.

With `--workers N` uvicorn binds the listening socket itself with protocol number 0; accepted sockets inherit it,
and asyncio then skips TCP_NODELAY (it checks for IPPROTO_TCP). Every keep-alive request after the first waited
for the client's delayed ACK: about 40 ms on Linux (uvicorn issue #3149, measured here as 60 ms against 17 ms for
a /match with one worker). Setting the option per connection works whichever way the socket was made.

The parser is httptools (a dependency of this project; uvicorn picks it by itself where it makes the socket).
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, setting TCP_NODELAY on each TCP connection it is given (module level: the
    workers of `serve --workers N` receive it pickled)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:  # a socket that is already closing: nothing to speed up
                pass
        super().connection_made(transport)
