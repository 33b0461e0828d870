"""The daily schedule: slots (pure: which edition is due when) and the APScheduler runner."""
