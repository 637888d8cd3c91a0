"""Test suite: real engines on short inputs; see conftest.py for the shared set-up."""
