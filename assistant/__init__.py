"""Question answering over speaker-attributed transcripts, with citations to turns."""

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.types import Answer, AssistantError, Citation

__all__ = ["Assistant", "Answer", "AssistantError", "Citation", "Settings"]
