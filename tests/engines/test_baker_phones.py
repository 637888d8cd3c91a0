"""What the Baker voice can say, known without its model: validation warns where a render would fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engines.baker.phones import PINNED_PINYIN, PhoneSet, can_say
from engines.protocol import UnsupportedPinyinError
from models import BAKER
from text_frontend.types import Syllable


def test_syllables_the_voice_lacks_are_known_without_the_model() -> None:
    assert can_say("hang2") and can_say("lv4") and can_say("nü3")
    assert can_say("n2")  # 嗯: read as en
    assert can_say("huar1")  # erhua merged into one syllable
    for missing in ("m2", "hm5", "hng5", "biang2"):
        assert not can_say(missing)


def test_a_missing_syllable_is_not_blamed_on_a_missing_override() -> None:
    """The teacher who wrote [呣](m2) gave an override; the fix is other characters."""
    mapper = {"symbol_to_id": {"sil": 0}, "pinyin_dict": {"hang": ["h", "ang"]}}
    phones = PhoneSet.from_mapper_json(json.dumps(mapper).encode())
    with pytest.raises(UnsupportedPinyinError) as err:
        phones.syllable_phones(Syllable("呣", "m2", 0, "override"))
    assert "override" not in str(err.value)
    assert "[呣](嗯)" in str(err.value)


def test_the_pinned_table_is_the_prepared_voices(models_dir: Path) -> None:
    mapper = json.loads((models_dir / BAKER.name / "baker_mapper.json").read_bytes())
    assert set(mapper["pinyin_dict"]) == PINNED_PINYIN
