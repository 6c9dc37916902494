"""Markup: documents taken apart into translatable units, and rebuilt around the translations."""
