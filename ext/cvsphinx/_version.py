"""The extension's version: part of every cache key, so an upgrade never shows stale renderings."""

__version__ = "0.9.2"
