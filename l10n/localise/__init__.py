"""Localise: names, dates and numbers, and language names, each as its edition writes them."""
