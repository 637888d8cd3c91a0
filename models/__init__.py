"""Pinned, offline model files: preparation (download + one-off conversion), verification and lookup.

Runtime code only ever reads verified bytes via ``read_verified``; anything missing or not matching
its pin raises a ``ModelError`` that names the fix (``lessonaudio models prepare``).
"""

from models.errors import ModelCorruptError, ModelError, ModelMissingError, ModelPrepareError
from models.pins import BAKER, SPECS, ModelSpec, PinnedFile
from models.prepare import PreparedModel, prepare_baker, prepare_model
from models.store import FileStatus, ModelStatus, model_status, read_verified

__all__ = [
    "BAKER",
    "SPECS",
    "FileStatus",
    "ModelCorruptError",
    "ModelError",
    "ModelMissingError",
    "ModelPrepareError",
    "ModelSpec",
    "ModelStatus",
    "PinnedFile",
    "PreparedModel",
    "model_status",
    "prepare_baker",
    "prepare_model",
    "read_verified",
]
