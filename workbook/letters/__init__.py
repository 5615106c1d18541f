"""Letters and the Terms of Reference: Word documents filled from the case (tracker.letters)."""
