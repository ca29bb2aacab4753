"""Run the app with uvicorn, on http or (for phones on the same network) https."""

from __future__ import annotations

from collections.abc import Callable

from toelab.errors import ToelabError
from toelab.paths import toelab_home

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def run_server(host: str, port: int, https: bool, say: Callable[[str], None], clinic: bool = False) -> None:
    """Serve until interrupted; ``say`` prints lines for the user.

    Without ``clinic`` there is no sign-in, so anyone who reaches the port sees the records:
    toelab then answers only to the names of this computer unless told another ``host``.
    """
    import uvicorn

    from toelab.web.app import create_app
    from toelab.web.security import Limits

    if not 0 < port < 65536:
        raise ToelabError(f"--port {port} is not a port number (1–65535)")
    limits = Limits()
    accounts = None
    if clinic:
        from toelab.store import open_store
        from toelab.web.auth import Clinic

        store = open_store()
        store.accounts.end_expired_sessions()
        if not store.accounts.users():
            say("No accounts yet: add one with `toelab user add NAME --role admin` (or clinician, patient).")
        accounts = Clinic(store, secure_cookies=https)
        if not https:
            say(
                "Clinic mode without --https: passwords cross the network in the clear, "
                "unless a proxy in front adds TLS."
            )
    elif host not in LOOPBACK:
        say(
            f"Warning: toelab listens on {host} without --clinic: anyone who can reach this computer "
            "can see and change the records. Use --clinic for accounts, or leave out --host."
        )
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    scheme = "http"
    shown_host = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    if https:
        from toelab.web.certs import lan_address, make_certificate

        lan = lan_address()
        hosts = [h for h in (lan, host) if h and h not in ("0.0.0.0", "::")]
        cert, key = make_certificate(toelab_home() / "certs", hosts)
        ssl_certfile, ssl_keyfile = str(cert), str(key)
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
        # at home on this computer only, other host names are refused (a web page cannot rebind to it)
        allowed = ["localhost", "127.0.0.1"] if host in LOOPBACK and accounts is None else None
        uvicorn.run(
            create_app(clinic=accounts, limits=limits, allowed_hosts=allowed),
            host=host,
            port=port,
            log_level="warning",
            ws_max_size=max(limits.ws_frame_bytes, limits.json_bytes),
            server_header=False,
            ssl_certfile=ssl_certfile,
            ssl_keyfile=ssl_keyfile,
        )
    except OSError as error:
        raise ToelabError(f"could not serve on {host}:{port}: {error.strerror or error}") from None
