"""loti: budget status and funding-principle checks for LOTI."""

__version__ = "0.1.0"

HOMEPAGE = "https://github.com/loti-london/loti"
"""Where loti and its README live (pyproject.toml's [project.urls] Homepage says the same)."""
