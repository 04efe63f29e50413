"""Errors a user can cause. Each carries one actionable line; the CLI and the eval runner print it and exit 2.

Everything here subclasses :class:`AssistantError`, so a caller handles the whole family once.
"""

from __future__ import annotations


class AssistantError(Exception):
    """An error a user can cause; the message is one actionable line."""


class CorpusError(AssistantError):
    """A corpus file cannot be read or parsed."""


class StoreError(AssistantError):
    """The vector store cannot be opened or is missing."""


class NoIndexError(AssistantError):
    """No index has been built yet for this store."""


class EmbeddingError(AssistantError):
    """The packaged embedding model cannot be found or loaded."""


class ModelError(AssistantError):
    """A model file that ships with the package (the learned reader) is missing or unreadable."""


class PromptError(AssistantError):
    """A prompt template is missing or lacks a placeholder the code fills."""


class UnknownSpeakerError(AssistantError):
    """A speaker filter names nobody in the corpus."""


class EmptyQuestionError(AssistantError):
    """The question is empty."""


class BackendError(AssistantError):
    """The generative backend failed or is unreachable."""


class EvalSetError(AssistantError):
    """An eval set file is malformed."""


class SettingsError(AssistantError):
    """A settings file or variable is malformed."""


class StoreBusyError(StoreError):
    """Another process is writing the store."""


class StoreDamagedError(StoreError):
    """The store's files are damaged; it must be rebuilt."""


class StoreUnreachableError(StoreError):
    """The Chroma server named by ``store.chroma_url`` does not answer."""


class FilterError(AssistantError):
    """A filter (date, document, speaker) is malformed or names nothing in the index."""


class UnsearchableQuestionError(AssistantError):
    """The question holds no words to search for (only punctuation, symbols or emoji)."""
