"""Prefect flows: the entry points deployments and the CLI run."""
