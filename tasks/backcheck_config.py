"""What the back-check listens with and what it flags: one frozen value read from settings at the entry.

Apart from the back-check task (which imports Prefect), so the wiring that builds it from settings
stays free of Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asr.registry import RecognizerConfig
from qa.config import QAConfig


@dataclass(frozen=True, slots=True)
class BackcheckConfig:
    enabled: bool
    recognizer: RecognizerConfig
    qa: QAConfig
    store: Path | None
    """Where checks are kept by what was heard (``tasks.backcheck_store``); None: always listen."""
