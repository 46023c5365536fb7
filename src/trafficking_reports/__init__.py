"""Reproducible, cited country reports on governments' anti-trafficking efforts."""

__version__ = "0.1.0"
