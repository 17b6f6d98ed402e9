"""The address of a buffer's first byte, for readonly buffers too.

rapidyaml returns keys and values as memoryviews into the source buffer. Their address minus
the buffer's address is the byte offset of the value, which is all a position needs; this
avoids building a position object for each of 100,000 nodes.
"""

from __future__ import annotations

import ctypes


class _PyBuffer(ctypes.Structure):
    # The Py_buffer struct of the stable ABI (Python >= 3.11).
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.py_object),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_get_buffer.restype = ctypes.c_int
_release = ctypes.pythonapi.PyBuffer_Release
_release.argtypes = [ctypes.POINTER(_PyBuffer)]
_release.restype = None


def address(obj: object) -> int:
    """Address of the first byte of ``obj``'s buffer (0 for an empty one)."""
    view = _PyBuffer()
    if _get_buffer(obj, ctypes.byref(view), 0) != 0:
        return 0
    try:
        return view.buf or 0
    finally:
        _release(ctypes.byref(view))
