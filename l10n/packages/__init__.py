"""Packages: the Argos translation models on disk, the index they come from, the demo ones."""
