"""Waiting for a run's figures in the page, and saying why when they never come."""

from __future__ import annotations


def wait_for_summary(page, server, selector: str, timeout_ms: float) -> None:
    """Wait for ``selector``; on a timeout fail with what the page said and the server's log."""
    try:
        page.wait_for_selector(selector, timeout=timeout_ms)
    except Exception as error:  # Playwright's TimeoutError: the page and the server tell why
        status = page.evaluate("document.querySelector('#status')?.textContent ?? ''")
        step = page.evaluate("document.querySelector('#step-instruction')?.textContent ?? ''")
        raise AssertionError(
            f"{selector} did not appear in {timeout_ms / 1000:.0f} s\n"
            f"page status: {status!r}\nstep: {step!r}\nserver log:\n{server.log_tail()}"
        ) from error
