"""Where inputs come from: files and folders turned into :class:`RawInput` values.

File I/O only, never the network. A reader either returns a RawInput or raises an
InputError that says what is wrong with the file.
"""

from newsclean.sources.folder import SKIPPED_NOTE, Inputs, Walk, walk
from newsclean.sources.htmlfile import decode_html, looks_like_html, read_input, sniff_input
from newsclean.sources.raw import RawInput
from newsclean.sources.textdump import decode, read_text_dump

__all__ = [
    "Inputs",
    "RawInput",
    "SKIPPED_NOTE",
    "Walk",
    "decode",
    "decode_html",
    "looks_like_html",
    "read_input",
    "read_text_dump",
    "sniff_input",
    "walk",
]
