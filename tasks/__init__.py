"""Prefect tasks of the render flow; each thin over a pure function that tests can call directly."""
