"""Real alert receivers on this machine: an HTTP server taking Apprise's JSON webhook posts and
an SMTP server (aiosmtpd) taking its e-mails, both on 127.0.0.1, each keeping what it got."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class WebhookReceiver:
    """Apprise `json://` posts received, as (path, payload), in order."""

    port: int
    posts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.port}/{path}?cto=2&rto=2"

    def messages(self, path: str) -> list[str]:
        return [p["message"] for where, p in self.posts if where == f"/{path}"]


@contextmanager
def webhook_receiver(port: int | None = None) -> Iterator[WebhookReceiver]:
    """Serve on `port` (a free one by default) until the block ends."""
    receiver = WebhookReceiver(port or free_port())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            receiver.posts.append((self.path, json.loads(self.rfile.read(length))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class MailReceiver:
    """E-mails received, as their full text, in order."""

    port: int
    mails: list[str] = field(default_factory=list)

    def url(self, to: str) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=alerts@clinic.test&to={to}&secure=no"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        content = envelope.content
        self.mails.append(content.decode() if isinstance(content, bytes) else str(content))
        return "250 OK"


@contextmanager
def mail_receiver() -> Iterator[MailReceiver]:
    receiver = MailReceiver(free_port())
    controller = Controller(receiver, hostname="127.0.0.1", port=receiver.port)
    controller.start()
    try:
        yield receiver
    finally:
        controller.stop()
