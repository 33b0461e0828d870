"""What the admin commands print (`feeds`, `recipients`, `status`, `threads`, `preview`).

The only package besides `cli` that knows the command line's output; its functions
return text and take settings.
"""
