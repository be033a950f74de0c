"""The package version, kept in one place so the build backend and records agree."""

__version__ = "0.1.0"
