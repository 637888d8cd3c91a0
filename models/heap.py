"""Hand memory the C heap holds but no longer uses back to the system.

Loading a model allocates far more than it keeps: ONNX Runtime parses and optimises the graph,
CTranslate2 converts weights, and every temporary is freed again. glibc's ``malloc`` keeps those freed
pages in its heaps for reuse instead of returning them, so a process that has loaded a model keeps its
load-time peak as resident memory for as long as it lives. ``malloc_trim`` returns the free pages; it
costs a few milliseconds and changes nothing but the process's resident size, so it is called after
each model load and between the stages of a render that use different models.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    """glibc's ``malloc_trim``, or None on a C library without one (musl, macOS)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_heap() -> bool:
    """Return free heap pages to the system; False where the C library cannot (nothing to do then)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
