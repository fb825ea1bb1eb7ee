"""The command groups of `loti`; each imports the heavy parts only when it runs."""
