"""Summaries: the summarizer protocol and registry, the extractive summarizer, headline
and dek, and the figure checks (`summary.figures`).

Pure: never imports `store`, `sources`, `delivery` or `commands`.
"""
