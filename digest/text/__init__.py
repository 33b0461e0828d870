"""Text: tokens and stems, sentences, and the word lists they use.

Standard library only: every other stage may import it, it imports nothing of ours but
`digest.text`.
"""
