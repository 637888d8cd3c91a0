"""Preview: speak one paragraph (``POST /tts``, the reference API's shape) and list what it accepts."""

# No `from __future__ import annotations`: FastAPI evaluates the handlers' annotations, which name
# the ``access`` dependencies this module is given.
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from engines import emotion_names, voice_names
from web.api.access import Access
from web.api.responses import error_responses
from web.schemas import EmotionsOut, TtsRequest
from web.services import Services
from web.tokens import TokenInfo


def router(services: Services, access: Access) -> APIRouter:
    routes = APIRouter(tags=["preview"])

    @routes.post(
        "/tts",
        summary="Speak one paragraph (reference API)",
        response_class=Response,
        responses={
            200: {"content": {"audio/wav": {}}, "description": "16-bit mono WAV of the paragraph."},
            **error_responses(400, 401, 413, 422, 429, 503),
        },
    )
    def tts(body: TtsRequest, who: Annotated[TokenInfo, Depends(access.preview)]) -> Response:
        """Front end, segmentation (long text is split), cached synthesis per segment, joined with the
        pauses. Segments come from the same cache as lesson renders."""
        audio = services.preview.synthesize(body.text, body.emotion, body.voice)
        return Response(
            audio.wav,
            media_type="audio/wav",
            headers={
                "X-Lessonaudio-Segments": str(audio.segments),
                "X-Lessonaudio-Cached-Segments": str(audio.cached),
                "Cache-Control": "no-store",
            },
        )

    @routes.get("/api/voices", response_model=EmotionsOut, responses=error_responses(401))
    def voices(who: Annotated[TokenInfo, Depends(access.teacher)]) -> EmotionsOut:
        """Emotions and voices the preview and renders accept."""
        return EmotionsOut(
            emotions=list(emotion_names()), voices=list(voice_names()), default_voice=services.default_voice
        )

    return routes
