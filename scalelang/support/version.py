"""The package's version, on the ground floor so that every output can name what made it."""

__version__ = "0.1.0"
