"""Threads: stories about the same event grouped, across outlets and days, and ranked.

Pure: functions of stories, settings and `now`. Never imports `store`, `sources`,
`delivery` or `commands`; the pipeline loads stored threads and passes them in.
"""
