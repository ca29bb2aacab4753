"""The HTML report printed to PDF with WeasyPrint: one source for both."""

from __future__ import annotations

from types import ModuleType

from toelab.errors import ToelabError

PANGO_HINT = (
    "the PDF needs WeasyPrint and the Pango library: pip install 'toelab[reports]'; "
    "on Debian/Ubuntu apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; "
    "or write the HTML report and print it from a browser"
)


def _weasyprint() -> ModuleType:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        # OSError: the package is there but the Pango library it loads is not
        raise ToelabError(f"cannot make a PDF here: {exc}".splitlines()[0], hint=PANGO_HINT) from exc
    return weasyprint


def pdf_available() -> bool:
    """Whether this machine can print the report to PDF."""
    try:
        _weasyprint()
    except ToelabError:
        return False
    return True


def html_to_pdf(html: str) -> bytes:
    """Print a self-contained HTML page (no external files) to PDF bytes."""
    document = _weasyprint().HTML(string=html)
    pdf = document.write_pdf()
    assert pdf is not None
    return pdf
