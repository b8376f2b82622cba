"""Errors the pipeline raises for input it cannot turn into a record.

Each carries a short machine code (stored in documents.status/error by the batch
run) and a message that tells the user what is wrong and what to do.
"""
from __future__ import annotations


class InputError(Exception):
    """A document that cannot be processed; never a bug in the product."""

    code = "bad_input"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EmptyFile(InputError):
    code = "empty_file"


class BinaryFile(InputError):
    code = "binary_file"


class UnsupportedType(InputError):
    code = "unsupported_type"


class Unreadable(InputError):
    code = "unreadable"


class NotAContract(InputError):
    code = "not_a_contract"


class TooLarge(InputError):
    code = "too_large"


class EncryptedPdf(InputError):
    code = "encrypted_pdf"


class CorruptFile(InputError):
    code = "corrupt_file"
