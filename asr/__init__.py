"""Listening to renders: a speech recogniser protocol, its engines, and how lessons are cut into windows."""
