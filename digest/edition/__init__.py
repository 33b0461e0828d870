"""The edition: assembled from threads and summaries, shown to templates through a view,
rendered to MJML, HTML and text. The only package that knows MJML.
"""
