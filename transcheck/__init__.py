"""transcheck: check a briefing recording against its published official transcript."""

__version__ = "0.1.0"
