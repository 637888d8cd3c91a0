"""The files a mastered piece is stored as, apart from ``storage.pieces``: pruning the cache needs the
names only, not the audio and loudness libraries that reading and writing pieces import."""

INDEX = ".json"
DATA = (".pcm", ".mp3", ".energy")
"""A piece's files beside its JSON index (``storage.housekeeping`` prunes them together)."""
