"""Summaries: the summarizer protocol and registry, the extractive summarizer, the optional
language-model one (`llm`, `llm_client`), the support check every self-written sentence passes
(`support`), one fact once (`facts`), headline and dek, and the figure checks (`summary.figures`).

Pure: never imports `store`, `sources`, `delivery` or `commands`.
"""
