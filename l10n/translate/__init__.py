"""Translate: the flow from a text to its editions: detect, segment, memory, engine, checks."""
