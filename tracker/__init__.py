"""scr-tracker: the domain of a case review, importable without Excel."""
__version__ = "0.1.0"
