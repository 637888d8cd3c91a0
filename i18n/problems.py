"""Pydantic's validation problems in the reader's language, for settings and API requests alike.

Pydantic words its errors in English only; each has a stable ``type`` and a ``ctx`` of values,
so the common ones are written here once, as catalog messages, and filled from ``ctx``. A type
with no message here keeps pydantic's own words for an English reader and reads "invalid value"
for anyone else, never English. Takes the error dicts as plain mappings: no pydantic import.
"""

from __future__ import annotations

import re
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


_CHOICE = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s,'\"]+"
_CHOICES = re.compile(rf"(?P<head>(?:{_CHOICE})(?:, (?:{_CHOICE}))*) or (?P<last>{_CHOICE})")
_ALTERNATIVES = re.compile(r"\^\(?(?P<words>[\w-]+(?:\|[\w-]+)+)\)?\$")
"""A pattern that only lists words (``^(auto|path|virtual)$``): a choice, said as one."""


def _choices(expected: str) -> str:
    """Pydantic's list of choices (``'a', 'b' or 'c'``) joined in the reader's language.

    Pydantic joins them in English; the items are Python literals, so they are split as such and a
    list of any other shape is left as pydantic wrote it.
    """
    found = _CHOICES.fullmatch(expected)
    if found is None:
        return expected
    items = re.findall(_CHOICE, found["head"])
    return _("{choices} or {last}").format(choices=_(", ").join(items), last=found["last"])


def _pattern_problem(error: Mapping[str, Any], pattern: str) -> str:
    """What a value that does not match ``pattern`` lacks, for a reader who does not read regexes.

    An English reader keeps pydantic's sense (the pattern); anyone else reads a choice of words as a
    choice, an id as an id, and any other pattern only in parentheses after a plain sentence.
    """
    if current_language() == "en":
        return _("must match the pattern {pattern}").format(pattern=pattern)
    words = _ALTERNATIVES.fullmatch(pattern)
    if words is not None:
        choices = [repr(word) for word in words["words"].split("|")]
        listed = _("{choices} or {last}").format(choices=_(", ").join(choices[:-1]), last=choices[-1])
        return _("must be one of: {expected}").format(expected=listed)
    field = str((error.get("loc") or ("",))[-1]).lower()
    if field == "id" or field.endswith("_id"):
        return _("is not a valid id")
    return _("is not in the expected form ({pattern})").format(pattern=pattern)


def problem_message(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) said in the current language."""
    kind = str(error.get("type"))
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch" and "pattern" in ctx:
        return _pattern_problem(error, str(ctx["pattern"]))
    template = _PROBLEMS.get(kind)
    if template is not None:
        context = {key: str(value) for key, value in ctx.items()}
        if kind in ("literal_error", "enum") and "expected" in context:
            context["expected"] = _choices(context["expected"])
        try:
            return _(template).format(**context)
        except (KeyError, IndexError):  # a context pydantic did not give: fall through
            pass
    return str(error.get("msg", "")) if current_language() == "en" else _("invalid value")
