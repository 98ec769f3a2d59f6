"""Worker processes that never outlive their parent: the batch pool's workers and the HTTP
service's (``beritanlp.server.workers``) both call :func:`bind_to_parent` first thing, and
:func:`answer_parent` to serve the parent's messages."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["answer_parent", "bind_to_parent"]


def _set_parent_death_signal() -> None:
    """Linux: have the kernel SIGKILL this process when the thread that started it ends (the
    parent was killed). Best effort; :func:`_watch_parent` is the portable check."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover
        pass


def _watch_parent(parent_pid: int) -> None:
    """A daemon thread: exit as soon as the parent is gone (re-parented), even while the main
    thread is blocked on a pipe that a sibling still holds open."""
    while True:
        if os.getppid() != parent_pid:
            os._exit(1)
        time.sleep(0.25)


def bind_to_parent(parent_pid: int, *, pdeathsig: bool) -> None:
    """End this process when ``parent_pid`` ends: the kernel's parent-death signal when
    ``pdeathsig`` (only right when the parent started us from a thread that lives as long as
    it does: its main thread), and a watching thread always. Exits at once if the parent is
    already gone."""
    if pdeathsig:
        _set_parent_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the signal was set
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def answer_parent(conn: Any, answer: Callable[[Any], Any]) -> None:
    """Answer the parent's messages on ``conn`` one at a time with ``answer(message)`` until it
    sends ``None``, closes its end, or stops reading."""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        try:
            conn.send(answer(message))
        except (BrokenPipeError, EOFError, OSError):
            return
