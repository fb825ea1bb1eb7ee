"""loti: budget status and funding-principle checks for LOTI."""

__version__ = "0.1.0"
