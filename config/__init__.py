"""Settings: the one place configuration enters the program."""

from config.settings import Settings, load_settings

__all__ = ["Settings", "load_settings"]
