"""Tiến Độ: targets, results and reports for provincial government."""

__version__ = "0.1.0"
