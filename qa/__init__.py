"""Scoring a rendered lesson against its script: normalisation, alignment, metrics, flags and reports."""
