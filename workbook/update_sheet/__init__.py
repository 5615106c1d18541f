"""The agency update sheet: its layout, writing it, and reading what agencies send back."""
