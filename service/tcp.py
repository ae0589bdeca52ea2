"""The HTTP protocol the service runs: uvicorn's own, with Nagle's algorithm off on every connection.

With `--workers N` uvicorn binds the listening socket itself with protocol number 0; accepted sockets inherit it,
and asyncio then skips TCP_NODELAY (it checks for IPPROTO_TCP). Every keep-alive request after the first waited
for the client's delayed ACK: about 40 ms on Linux (uvicorn issue #3149, measured here as 60 ms against 17 ms for
a /match with one worker). Setting the option per connection works whichever way the socket was made.

httptools (the C parser uvicorn picks when it is installed, as it is with this project) is used where it can be;
h11, uvicorn's pure-Python parser, otherwise.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def _no_delay(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # a socket that is already closing: nothing to speed up
            pass


class NoDelayH11Protocol(H11Protocol):
    """H11Protocol that sets TCP_NODELAY on each TCP connection it is given."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is not installed
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

if HttpToolsProtocol is not None:

    class NoDelayHttpToolsProtocol(HttpToolsProtocol):
        """HttpToolsProtocol that sets TCP_NODELAY on each TCP connection it is given (module level: the workers
        of `serve --workers N` receive it pickled)."""

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            _no_delay(transport)
            super().connection_made(transport)


def http_protocol() -> type[asyncio.Protocol]:
    """The protocol class for `uvicorn.Config(http=...)`: httptools with TCP_NODELAY when it is installed, else
    h11 with TCP_NODELAY."""
    return NoDelayHttpToolsProtocol if HttpToolsProtocol is not None else NoDelayH11Protocol
