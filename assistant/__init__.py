"""Question answering over speaker-attributed transcripts, with citations to turns."""

from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.types import Answer, Citation

__all__ = ["Assistant", "Answer", "AssistantError", "Citation", "Settings"]
