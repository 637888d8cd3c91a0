"""Model errors. Every message names the command that fixes it, because operators read them in a CLI."""

from __future__ import annotations

from errors import UnavailableError
from i18n import N_

FIX = N_("run `lessonaudio models prepare`")
"""The fix most model errors name; translate it where it is used, with ``_(FIX)``."""


class ModelError(UnavailableError):
    """Base for problems with prepared model files."""


class ModelMissingError(ModelError):
    pass


class ModelCorruptError(ModelError):
    """A file exists but its sha256 differs from the pin: never loaded, never silently replaced."""


class ModelPrepareError(ModelError):
    """Download, conversion or verification failed while preparing a model."""
