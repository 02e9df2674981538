"""The one JSON shape of an error, {status, code, detail, errors}: the API's, and what is sent outside it."""


def error_body(status_code, code, detail, errors=None, **extra):
    """The body of an error answer; `extra` adds fields a kind of error carries (a conflict's diff)."""
    return {"status": status_code, "code": code, "detail": str(detail), "errors": errors or {}, **extra}
