"""Figures: numbers read with what they measure, compared across sources ("Sources
differ") and used to tell one fact from two. Pure; imports only `text` and `models`.
"""
