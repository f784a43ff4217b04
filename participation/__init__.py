"""Citizen participation for the Quartiersmanagement areas of Friedrichshain-Kreuzberg."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project directory: templates, static files and catalogs live beside the package."""
