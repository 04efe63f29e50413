"""Temporary stub so the readers package imports; replace with the real reader."""

FORMAT = "json-turns"


def detect(path, text):
    return False


def read(path, text):
    return []
