"""Hidden-test specs, one module per assignment, each defining ``SPECS``."""
