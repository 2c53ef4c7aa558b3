"""Reading and computing many rows at once.

Building 100,000 small objects makes Python's cyclic garbage collector run hundreds of
times, each time walking every object built so far: about half the time of a recompute of
100,000 due instants. The objects of a bulk read hold no reference cycles, so reference
counting frees them anyway; :func:`collection_paused` holds the cyclic collector off for
the length of such a read or computation, and only that: never around a wait for a lock
or a commit, since the pause holds for every thread of the process.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector off inside the block (and in any nested or
    concurrent one), and restore it as it was when the last block ends."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
