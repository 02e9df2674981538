"""OpenAPI schema: the errors and validators every operation shares, said once for all of them."""
from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction
from rest_framework.request import Request

from lexique.api.serializers import DIFF_SCHEMA, ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Invalid parameters or body; `errors` says which field and why.",
    "401": "Missing, invalid or revoked token.",
    "403": "Signed in, but not allowed (e.g. only moderators review).",
    "404": "No such resource, page or reference.",
    "406": "The Accept header asks for a format the API does not produce.",
    "409": "The action conflicts with the current state (stale proposal, duplicate term, not pending).",
    "413": "Body too large.",
    "415": "The body must be JSON (Content-Type: application/json).",
    "429": "Too many requests: wait for Retry-After seconds.",
}

CONFLICT_SCHEMA = {
    "allOf": [
        {"$ref": "#/components/schemas/Error"},
        {
            "type": "object",
            "properties": {
                "base_revision": {"type": "integer", "nullable": True},
                "current_revision": {"type": "integer", "nullable": True,
                                     "description": "The revision published now."},
                "diff": {**DIFF_SCHEMA,
                         "description": "What was published since the proposal's base (approving would undo it)."},
                "term": {"type": "string", "format": "uri", "nullable": True,
                         "description": "For a duplicate: the existing term, if published."},
            },
        },
    ]
}

RETIRED_RESPONSE = {
    "description": "The term was published and is retired: when, why, and its last version, still citable.",
    "content": {"application/json": {"schema": {
        "allOf": [
            {"$ref": "#/components/schemas/Error"},
            {
                "type": "object",
                "required": ["slug", "retired_at", "reason", "last_version", "related"],
                "properties": {
                    "slug": {"type": "string"},
                    "retired_at": {"type": "string", "format": "date-time", "nullable": True},
                    "reason": {"type": "string"},
                    "last_version": {
                        "type": "object", "nullable": True,
                        "required": ["version", "url", "citation"],
                        "properties": {
                            "version": {"type": "integer"},
                            "url": {"type": "string", "format": "uri",
                                    "description": "The version's permanent page, with its citations."},
                            "citation": {"type": "string"},
                        },
                    },
                    "related": {"type": "array", "items": {"type": "string", "format": "uri"},
                                "description": "Its related terms that are still published."},
                },
            },
        ]
    }}},
}

VALIDATOR_HEADERS = {
    "ETag": {"schema": {"type": "string"}, "required": True,
             "description": "Send it back in If-None-Match: 304 while nothing was published."},
    "Last-Modified": {"schema": {"type": "string"}, "required": True,
                      "description": "When the published lexicon last changed."},
}


class LexiqueAutoSchema(AutoSchema):
    """Adds to each operation the error responses it can really give, and the read validators."""

    def _error(self, code: str) -> dict[str, Any]:
        component = self.resolve_serializer(ErrorSerializer, "response")
        response: dict[str, Any] = {
            "description": ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"schema": CONFLICT_SCHEMA if code == "409" else component.ref}},
        }
        if code == "429":
            response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "required": True,
                                                   "description": "Seconds to wait."}}
        return response

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        safe = self.method in ("GET", "HEAD")
        published = getattr(self.view, "published_read", False)
        if safe and published:
            for code in ("200",):
                if code in responses:
                    responses[code].setdefault("headers", {}).update(VALIDATOR_HEADERS)
            responses["304"] = {"description": "Not modified since the ETag / date given in If-None-Match / "
                                               "If-Modified-Since.", "headers": VALIDATOR_HEADERS}
        codes = ["400", "401", "404", "406", "429"]
        if not safe:
            codes += ["403", "409"]
            if self.method in ("POST", "PUT", "PATCH"):
                codes += ["413", "415"]
        elif getattr(self.view, "permission_required", False):
            codes += ["403"]
        for code in sorted(codes):
            responses.setdefault(code, self._error(code))
        if (safe and getattr(self.view, "retired_terms_gone", False)
                and getattr(self.view, "action", "") == "retrieve"):
            responses["410"] = RETIRED_RESPONSE
        return responses


_BLANK = {"type": "string", "maxLength": 0}


def forbid_unknown_request_fields(
    result: dict[str, Any], generator: SchemaGenerator, request: Request | None, public: bool
) -> dict[str, Any]:
    """Request bodies refuse fields they do not know: say so in the schema.

    Also, drf-spectacular writes a blank-allowed text with a pattern as oneOf(pattern, ""): our
    patterns already accept "", which then matches both branches, and oneOf would refuse it.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
        for field, schema in component.get("properties", {}).items():
            branches = schema.get("oneOf")
            if branches and len(branches) == 2 and branches[1] == _BLANK:
                component["properties"][field] = {**branches[0], **{k: v for k, v in schema.items() if k != "oneOf"}}
    return result


__all__ = ["LexiqueAutoSchema", "forbid_unknown_request_fields"]
