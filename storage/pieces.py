"""Content-addressed store of mastered paragraph pieces: 16-bit PCM, MP3 frames, and what they hold.

A piece is ``<root>/<key[:2]>/<key>.pcm`` (raw little-endian 16-bit mono), ``.mp3`` (frames only),
``.energy`` (its running loudness energy, float64) and ``.json``, which is written last and records
the other files' sizes. A piece counts as present only
when its JSON exists and both sizes match, so a piece cut short by a crash is re-mastered instead of
spliced into a lesson; that check replaces an fsync per file, which cost more than mastering.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audio.export import WriteError, write_bytes
from audio.loudness import EnergyProfile, LoudnessReport
from audio.mastering import MasteredParagraph
from i18n import _
from storage.piece_files import DATA, INDEX
from storage.segments import CACHE_HINT, mark_used


@dataclass(frozen=True, slots=True)
class StoredPiece:
    key: str
    pcm: Path
    mp3: Path
    sample_rate: int
    samples: int
    spans: tuple[tuple[int, int], ...]
    loudness: LoudnessReport
    energy: EnergyProfile


def _write(path: Path, data: bytes) -> None:
    """Temporary sibling, then rename: readers see the old file, the new one, or none. No fsync: the
    JSON written last records the sizes, so a piece torn by a crash is mastered again."""
    try:
        write_bytes(path, data, durable=False)
    except WriteError as err:
        raise err.with_hint(CACHE_HINT) from err


class PieceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _base(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> StoredPiece | None:
        base = self._base(key)
        try:
            meta: dict[str, Any] = json.loads(base.with_suffix(INDEX).read_text(encoding="utf-8"))
            pcm, mp3, energy = (base.with_suffix(suffix) for suffix in DATA)
            sizes = (pcm.stat().st_size, mp3.stat().st_size, energy.stat().st_size)
            if sizes != (meta["pcm_bytes"], meta["mp3_bytes"], meta["energy_bytes"]):
                return None
            return StoredPiece(
                key=key,
                pcm=pcm,
                mp3=mp3,
                sample_rate=int(meta["sample_rate"]),
                samples=int(meta["samples"]),
                spans=tuple((int(a), int(b)) for a, b in meta["spans"]),
                loudness=LoudnessReport(**meta["loudness"]),
                energy=EnergyProfile(
                    int(meta["energy_phase"]),
                    int(meta["energy_grid"]),
                    np.fromfile(energy, dtype="<f8"),
                    float(meta["energy_total"]),
                ),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def touch(self, key: str) -> None:
        """Mark the piece as used by a render (``storage.housekeeping`` prunes by last use)."""
        mark_used(self._base(key).with_suffix(INDEX))

    def put(self, key: str, piece: MasteredParagraph, mp3: bytes, sample_rate: int) -> StoredPiece:
        base = self._base(key)
        pcm = piece.samples.astype("<i2", copy=False).tobytes()
        energy = piece.energy.cumulative.astype("<f8", copy=False).tobytes()
        _write(base.with_suffix(".pcm"), pcm)
        _write(base.with_suffix(".mp3"), mp3)
        _write(base.with_suffix(".energy"), energy)
        loudness = piece.loudness
        meta = {
            "sample_rate": sample_rate,
            "samples": int(piece.samples.size),
            "spans": [list(span) for span in piece.spans],
            "loudness": {
                "integrated_lufs": loudness.integrated_lufs,
                "true_peak_dbtp": loudness.true_peak_dbtp,
                "gain_db": loudness.gain_db,
            },
            "energy_phase": piece.energy.phase,
            "energy_grid": piece.energy.grid,
            "energy_total": piece.energy.total,
            "pcm_bytes": len(pcm),
            "mp3_bytes": len(mp3),
            "energy_bytes": len(energy),
        }
        _write(base.with_suffix(INDEX), json.dumps(meta).encode("utf-8"))
        stored = self.get(key)
        if stored is None:
            raise OSError(_("paragraph piece {key} did not read back after writing it").format(key=key))
        return stored
