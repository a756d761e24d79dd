"""The vector path's own refusal."""


class VectorUnsupported(NotImplementedError):
    """A schedule feature or an input layout the vectorised backend does not compute. The message
    names it; the scalar bill function handles it. Raised before any result is returned: the vector
    path never silently differs from the scalar one."""
