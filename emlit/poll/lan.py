"""What voters need to reach the server: the LAN address, the URL and its QR code."""

from __future__ import annotations

import io
import socket


def lan_ip() -> str:
    """This machine's address on the local network, found without sending any traffic.

    Connecting a UDP socket only asks the kernel for a route; no packet leaves the machine.
    With no network at all (a laptop with Wi-Fi off) it falls back to loopback.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.connect(("10.254.254.254", 9))
        return str(sock.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        sock.close()


def voter_url(host: str, port: int) -> str:
    shown = lan_ip() if host in ("0.0.0.0", "", "::") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def qr_terminal(url: str) -> str:
    """The URL as a QR code drawn with block characters (segno, compact)."""
    import segno

    buf = io.StringIO()
    segno.make(url, error="m").terminal(out=buf, compact=True)
    return buf.getvalue()


def qr_svg(url: str, *, inline: bool = False) -> str:
    """The URL as an SVG QR code: a standalone document, or markup to inline in a page."""
    import segno

    qr = segno.make(url, error="m")
    if inline:
        return str(qr.svg_inline(scale=8, dark="#000", light="#fff", border=2, omitsize=True))
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=8, dark="#000", light="#fff", border=2, xmldecl=False)
    return buf.getvalue().decode("utf-8")
