"""The process that keeps a session in progress, written as ``host:pid:start``, and whether it
is still running.

The start is the process's start time in clock ticks since boot (Linux ``/proc/<pid>/stat``),
so a process id used again by another program does not count as the owner still running.
Only sessions of this host are judged: a process on another machine cannot be seen from here.
"""

from __future__ import annotations

import functools
import os
import socket


def _start_ticks(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            # the command name (field 2) is in parentheses and may hold spaces: count after it
            fields = stat.read().rsplit(")", 1)[1].split()
        return fields[19]  # field 22, starttime
    except (OSError, IndexError):
        return None


@functools.cache
def _host() -> str:
    return socket.gethostname()[:120]


def this_process() -> str:
    """This process as a session's owner."""
    pid = os.getpid()
    return f"{_host()}:{pid}:{_start_ticks(pid) or ''}"


def owner_is_gone(owner: str | None) -> bool:
    """True when ``owner`` names a process of this host that is no longer running; False when
    it runs, is on another host, or cannot be told."""
    if not owner or owner.count(":") < 2:
        return False
    host, pid_text, start = owner.rsplit(":", 2)
    if host != _host() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # someone else's process with that id: compare its start below
    if start and os.path.exists("/proc/self/stat"):
        return _start_ticks(pid) != start
    return False
