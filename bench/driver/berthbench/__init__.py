"""Berth versus Docker Engine benchmark driver (issue 8). Standard library only."""
