"""The one JSON shape of an error, {status, code, detail, errors}: the API's, and what is sent outside it."""
from typing import Any


def error_body(status_code: int, code: str, detail: object, errors: Any = None, **extra: Any) -> dict[str, Any]:
    """The body of an error answer; `extra` adds fields a kind of error carries (a conflict's diff)."""
    return {"status": status_code, "code": code, "detail": str(detail), "errors": errors or {}, **extra}
