"""The version of pcflab."""

__version__ = "0.1.0"
