"""A Prefect lock manager built on ``flock``: serialises work on one cache key across threads and processes.

Why not Prefect's ``FileSystemLockManager``: in prefect 3.8 it creates the lock file and writes its JSON
in two steps, so a concurrent reader can parse an empty file and fail the task (we hit
``ValueError: EOF while parsing`` with two threads), and a lock left by a killed process never expires
unless a hold timeout was given. ``flock`` locks are held by the kernel: atomic, and released the
moment the holding process dies, which is exactly what "a crashed render resumes" needs.

Scope: processes on one machine (or a filesystem with working ``flock``). Workers on several machines
need a networked lock manager (e.g. Redis) instead.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import anyio

from audio.export import WriteError
from storage.segments import CACHE_HINT

_POLL_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class _Held:
    fd: int
    holder: str


class FlockLockManager:
    """Implements ``prefect.locking.protocol.LockManager``; ``hold_timeout`` is moot (death releases)."""

    def __init__(self, lock_files_directory: Path) -> None:
        self.lock_files_directory = lock_files_directory
        self._held: dict[str, _Held] = {}
        self._mutex = threading.Lock()

    def _path(self, key: str) -> Path:
        # Keys may be long or contain separators; a digest is a safe, fixed-length file name.
        return self.lock_files_directory / f"{hashlib.sha256(key.encode()).hexdigest()}.lock"

    def _open(self, key: str) -> int:
        path = self._path(key)
        try:
            self.lock_files_directory.mkdir(parents=True, exist_ok=True)
            return os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as err:  # a full or read-only cache: say which file and why, not only errno
            raise WriteError.from_os_error(path, err, CACHE_HINT) from err

    @staticmethod
    def _try(fd: int, mode: int) -> bool:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def acquire_lock(
        self,
        key: str,
        holder: str,
        acquire_timeout: float | None = None,
        hold_timeout: float | None = None,
    ) -> bool:
        with self._mutex:
            held = self._held.get(key)
            if held is not None and held.holder == holder:
                return True
        fd = self._open(key)
        deadline = None if acquire_timeout is None else time.monotonic() + acquire_timeout
        while not self._try(fd, fcntl.LOCK_EX):
            if deadline is not None and time.monotonic() >= deadline:
                os.close(fd)
                return False
            time.sleep(_POLL_SECONDS)
        with self._mutex:
            self._held[key] = _Held(fd, holder)
        return True

    async def aacquire_lock(
        self,
        key: str,
        holder: str,
        acquire_timeout: float | None = None,
        hold_timeout: float | None = None,
    ) -> bool:
        return await anyio.to_thread.run_sync(
            lambda: self.acquire_lock(key, holder, acquire_timeout, hold_timeout)
        )

    def release_lock(self, key: str, holder: str) -> None:
        with self._mutex:
            held = self._held.get(key)
            if held is None or held.holder != holder:
                raise ValueError(f"No lock held by {holder} for transaction with key {key}")
            del self._held[key]
        fcntl.flock(held.fd, fcntl.LOCK_UN)
        os.close(held.fd)

    def is_locked(self, key: str) -> bool:
        with self._mutex:
            if key in self._held:
                return True
        if not self._path(key).exists():
            return False
        fd = self._open(key)
        try:
            if self._try(fd, fcntl.LOCK_SH):
                fcntl.flock(fd, fcntl.LOCK_UN)
                return False
            return True
        finally:
            os.close(fd)

    def is_lock_holder(self, key: str, holder: str) -> bool:
        with self._mutex:
            held = self._held.get(key)
            return held is not None and held.holder == holder

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.is_locked(key):
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(_POLL_SECONDS)
        return True

    async def await_for_lock(self, key: str, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.is_locked(key):
            if deadline is not None and time.monotonic() >= deadline:
                return False
            await anyio.sleep(_POLL_SECONDS)
        return True
