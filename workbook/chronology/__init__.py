"""Agency chronologies: reading them, the name key, writing the integrated chronology."""
