"""Loading a lesson script never raises anything but SpecError, whatever bytes it is given."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lesson_specs import LessonSpec, SpecError, load_spec

YAMLISH = st.text(
    alphabet=st.sampled_from(
        list(string.printable) + list("同学们好！。，、[]()*&|>-:#{}\"'你行长😀\t\u00a0\ufeff")
    ),
    max_size=300,
)
SCALAR = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(st.text(max_size=10), max_size=3),
)


def check(data: bytes | str) -> None:
    try:
        spec = load_spec(data)
    except SpecError as err:
        assert err.diagnostics, "a SpecError must carry at least one diagnostic"
        for diagnostic in err.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.col >= 1
            assert diagnostic.message
    else:
        assert isinstance(spec, LessonSpec)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    check(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH)
def test_yaml_like_text(text: str) -> None:
    check(text)


def _render(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lesson_id=SCALAR,
    title=SCALAR,
    emotion=SCALAR,
    paragraphs=st.lists(
        st.one_of(
            st.text(max_size=60),
            st.fixed_dictionaries(
                {"text": SCALAR}, optional={"emotion": SCALAR, "pause_after": SCALAR, "extra": SCALAR}
            ),
            SCALAR,
        ),
        max_size=4,
    ),
    lexicon=st.one_of(st.dictionaries(st.text(max_size=6), SCALAR, max_size=3), SCALAR),
)
def test_structured_scripts(
    lesson_id: object, title: object, emotion: object, paragraphs: list[object], lexicon: object
) -> None:
    # JSON is YAML: this reaches the validator's type checks rather than the parser's.
    check(
        "{"
        + ", ".join(
            f"{_render(k)}: {_render(v)}"
            for k, v in {
                "id": lesson_id,
                "title": title,
                "emotion": emotion,
                "lexicon": lexicon,
                "paragraphs": paragraphs,
            }.items()
        )
        + "}"
    )
