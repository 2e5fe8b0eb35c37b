"""The package's version, which model files and pickles record."""

__version__ = "0.1.0"
