"""tpe-tui: offline tool for digital mediators who accompany very small businesses (TPE)."""

__version__ = "0.1.0"
