"""Schemathesis against the OpenAPI schema: every operation, generated inputs (valid and invalid),
responses checked against what the schema documents. The voice and renderer are fakes, so this is
about the HTTP contract and finishes in seconds; examples per operation are bounded."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok

from tests.browser.support import fake_app, new_token, web_settings

MAX_EXAMPLES = 25


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    root = tmp_path_factory.mktemp("schema")
    return fake_app(
        web_settings(
            root,
            web_tts_per_minute=10_000,
            web_renders_per_minute=10_000,
            web_validations_per_minute=10_000,
            web_edits_per_minute=10_000,
        )
    )


@pytest.fixture(scope="module")
def token(app: FastAPI) -> str:
    return new_token(app, "schemathesis")


CONFIG = {
    # FastAPI ignores unknown query parameters, as most HTTP APIs do; not a contract violation.
    "generation": {"allow-extra-parameters": False},
    # 413 is the right answer to an invalid (oversized) body too.
    "checks": {
        "negative_data_rejection": {
            "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]
        }
    },
    "operations": [
        {
            # A schema-valid string is not yet a valid lesson script: the loader's 422 is correct.
            "include-path": "/api/renders",
            "include-method": "POST",
            "checks": {"positive_data_acceptance": {"enabled": False}},
        },
        *(
            # The editor's round trip needs a YAML mapping with a `paragraphs:` list: same 422.
            {
                "include-path": path,
                "include-method": "POST",
                "checks": {"positive_data_acceptance": {"enabled": False}},
            }
            for path in ("/api/scripts/paragraphs", "/api/scripts/apply")
        ),
    ],
}


@pytest.fixture(scope="module")
def api_schema(app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=SchemathesisConfig.from_dict(CONFIG))


def operations() -> list[tuple[str, GenerationMode]]:
    """(operation, mode) pairs, from a throwaway app (collection time has no fixtures). Operations
    without inputs have no invalid form, so they get valid inputs only."""
    found: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory() as root:
        app = fake_app(web_settings(Path(root)))
        for result in schemathesis.openapi.from_asgi("/openapi.json", app).get_all_operations():
            assert isinstance(result, Ok), f"the API's own schema is invalid: {result}"
            op = result.ok()
            found.append((op.label, bool(op.body or op.query or op.path_parameters)))
        app.state.services.close()
    found.sort()
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [
        (label, mode)
        for label, has_inputs in found
        for mode in modes
        if has_inputs or mode == GenerationMode.POSITIVE
    ]


# Schemathesis' own pytest plugin does not load under pytest 9, so each operation is driven through
# Hypothesis directly: valid inputs first, then invalid ones; every default check runs on every response.
@pytest.mark.parametrize(
    ("label", "mode"), operations(), ids=lambda v: v.value if isinstance(v, GenerationMode) else v
)
def test_api_matches_its_schema(
    api_schema: schemathesis.BaseSchema, token: str, label: str, mode: GenerationMode
) -> None:
    operation = api_schema[label.split(" ", 1)[1]][label.split(" ", 1)[0]]
    headers = {"Authorization": f"Bearer {token}"}

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        derandomize=True,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    def run(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(headers=headers)

    run()


def test_schema_documents_auth_and_errors(app: FastAPI) -> None:
    spec = app.openapi()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    tts = spec["paths"]["/tts"]["post"]
    assert {"200", "401", "413", "422", "429"} <= set(tts["responses"])
    assert "audio/wav" in tts["responses"]["200"]["content"]
