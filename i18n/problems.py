"""Pydantic's validation problems in the reader's language, for settings and API requests alike.

Pydantic words its errors in English only; each has a stable ``type`` and a ``ctx`` of values,
so the common ones are written here once, as catalog messages, and filled from ``ctx``. A type
with no message here keeps pydantic's own words for an English reader and reads "invalid value"
for anyone else, never English. Takes the error dicts as plain mappings: no pydantic import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from i18n import N_, _, current_language

__all__ = ["problem_message"]

_PROBLEMS = {
    "missing": N_("this field is required"),
    "extra_forbidden": N_("is not a field of this request"),
    "string_type": N_("must be text"),
    "string_too_short": N_("must have at least {min_length} character(s)"),
    "string_too_long": N_("must have at most {max_length} character(s)"),
    "string_pattern_mismatch": N_("must match the pattern {pattern}"),
    "literal_error": N_("must be one of: {expected}"),
    "enum": N_("must be one of: {expected}"),
    "json_invalid": N_("the body is not valid JSON"),
    "json_type": N_("the body is not valid JSON"),
    "dict_type": N_("must be a JSON object"),
    "model_attributes_type": N_("must be a JSON object"),
    "model_type": N_("must be a JSON object"),
    "list_type": N_("must be a list"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_type": N_("must be a number"),
    "float_parsing": N_("must be a number"),
    "finite_number": N_("must be a finite number"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than_equal": N_("must be at most {le}"),
    "greater_than": N_("must be more than {gt}"),
    "less_than": N_("must be less than {lt}"),
    "path_type": N_("must be a path"),
}


def problem_message(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) said in the current language."""
    template = _PROBLEMS.get(str(error.get("type")))
    if template is not None:
        context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
        try:
            return _(template).format(**context)
        except (KeyError, IndexError):  # a context pydantic did not give: fall through
            pass
    return str(error.get("msg", "")) if current_language() == "en" else _("invalid value")
