"""A pinned model as a folder a loader can open by path, holding exactly the files that were checked.

``read_verified`` hands a loader the bytes it hashed. That doubles a large model in memory while it
loads: the bytes are held, and a loader that takes a buffer (CTranslate2) copies them before it
builds its own weights from them, so Whisper-base's 145 MB file briefly took three times its size.
Here each file is opened once, hashed through that open file, and offered to the loader as a link to
it (``/dev/fd/N``) in a private temporary folder, so the loader reads the file straight into its
weights. A file replaced after the check (``lessonaudio models prepare`` replaces files by renaming a
new one over them) does not change what is read: the open file is the one that was hashed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

from models.pins import ModelSpec
from models.store import check_digest, missing, model_dir

_BLOCK = 1 << 20


def _sha256_open(fh: BinaryIO) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: fh.read(_BLOCK), b""):
        digest.update(block)
    fh.seek(0)  # where /dev/fd shares the offset (macOS duplicates the descriptor), read from the start
    return digest.hexdigest()


@contextmanager
def verified_dir(models_dir: Path, spec: ModelSpec) -> Iterator[Path]:
    """A folder of links to the open, verified files of ``spec``, valid until the ``with`` block ends.

    Raises ``ModelMissingError`` / ``ModelCorruptError`` naming ``lessonaudio models prepare``, as
    ``read_verified`` does. Load the model inside the block; the links are gone afterwards.
    """
    directory = model_dir(models_dir, spec)
    with ExitStack() as stack:
        links = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"lessonaudio-{spec.name}-")))
        for pin in spec.files:
            path = directory / pin.name
            try:
                fh = stack.enter_context(path.open("rb"))
            except FileNotFoundError:
                raise missing(spec, path) from None
            check_digest(path, pin, _sha256_open(fh))
            os.symlink(f"/dev/fd/{fh.fileno()}", links / pin.name)
        yield links
