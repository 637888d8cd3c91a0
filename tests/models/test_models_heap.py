"""Freed heap memory goes back to the system when asked."""

from __future__ import annotations

import sys

import pytest

from models.heap import release_free_heap

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc; glibc's malloc_trim"
)


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    import resource

    return pages * resource.getpagesize() / 2**20


def test_freed_heap_pages_are_returned() -> None:
    # Many small blocks with a few survivors between them, like a model load's temporaries: the heap
    # cannot shrink from its top, so malloc keeps the free pages unless they are trimmed.
    blocks = [bytes(4000) for _ in range(50_000)]  # about 200 MB of malloc'd blocks
    survivors = blocks[::64]
    del blocks
    before = resident_mb()
    if not release_free_heap():
        pytest.skip("this C library has no malloc_trim")
    after = resident_mb()
    assert before - after > 100, (before, after)
    assert len(survivors) == 782
