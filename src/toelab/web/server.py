"""Run the app with uvicorn, on http or (for phones on the same network) https."""

from __future__ import annotations

from collections.abc import Callable

from toelab.errors import ToelabError
from toelab.paths import toelab_home


def run_server(host: str, port: int, https: bool, say: Callable[[str], None]) -> None:
    """Serve until interrupted; ``say`` prints lines for the user."""
    import uvicorn

    from toelab.web.app import create_app

    if not 0 < port < 65536:
        raise ToelabError(f"--port {port} is not a port number (1–65535)")
    ssl: dict[str, str] = {}
    scheme = "http"
    shown_host = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    if https:
        from toelab.web.certs import lan_address, make_certificate

        lan = lan_address()
        hosts = [h for h in (lan, host) if h and h not in ("0.0.0.0", "::")]
        cert, key = make_certificate(toelab_home() / "certs", hosts)
        ssl = {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
        scheme = "https"
        if lan and host in ("127.0.0.1", "localhost"):
            say(f"To reach toelab from a phone, start it with --host 0.0.0.0 and open https://{lan}:{port}")
        elif lan:
            shown_host = lan
        say(
            "The browser will warn that the certificate is not trusted: toelab made it on this "
            "computer. Choose 'Advanced' and continue to the page; the camera then works."
        )
    say(f"toelab is running at {scheme}://{shown_host}:{port} — press Ctrl+C to stop.")
    try:
        uvicorn.run(
            create_app(), host=host, port=port, log_level="warning", ws_max_size=4 * 1024 * 1024, **ssl
        )
    except OSError as error:
        raise ToelabError(f"could not serve on {host}:{port}: {error.strerror or error}") from None
