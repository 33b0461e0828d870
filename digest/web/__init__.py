"""The web side: the static archive (`digest publish`) and the web app (`digest serve`)."""
