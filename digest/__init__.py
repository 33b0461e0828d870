"""digest: feeds in, threaded and summarized Forward Guidance-style email out."""

__version__ = "0.1.0"
