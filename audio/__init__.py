"""Audio post-processing on plain numpy arrays: trim, fade, lay out with pauses, loudness, export.

No Prefect and no engine here: the render tasks call these functions, and tests and benchmarks can
call them directly on any samples.
"""
