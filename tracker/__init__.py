"""scr-tracker: the domain of a case review, importable without Excel."""
