"""Delivery: recipients, messages, transports (outbox, SMTP), DKIM, exactly-once sending
and alerts. Reads and writes its state through `store`.
"""
