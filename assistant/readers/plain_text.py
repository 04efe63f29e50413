"""Temporary stub so the readers package imports; replace with the real reader."""

FORMAT = "plain-text"


def detect(path, text):
    return False


def read(path, text):
    return []
