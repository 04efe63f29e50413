"""Learned components shipped with the package, run without torch.

This package is the ground floor: it imports nothing else from ``assistant``.
"""

from .cross_encoder import CrossEncoder, ModelFileMissing, format_text, reader_path

__all__ = ["CrossEncoder", "ModelFileMissing", "format_text", "reader_path"]
