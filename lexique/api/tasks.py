"""Where a task of the queue stands: /api/v1/tasks/<id>/, the address a 202 answer gives."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lexique.platform.queue import task_status

TASK_ID_PATTERN = r"[a-z]+-[0-9a-f]{40}"

TaskSerializer = inline_serializer("Task", {
    "id": serializers.CharField(),
    "state": serializers.RegexField(r"^(queued|running|done|failed)$",
                                    help_text="queued, running, done or failed."),
    "done": serializers.IntegerField(allow_null=True, help_text="Steps done (entries, files), when counted."),
    "total": serializers.IntegerField(allow_null=True, help_text="Steps in all, when counted."),
    "percent": serializers.IntegerField(allow_null=True, min_value=0, max_value=100),
    "location": serializers.CharField(allow_null=True, help_text="Where the result is served (a file, a page)."),
    "detail": serializers.CharField(allow_null=True, help_text="Why it failed, when it did."),
})


class TaskView(APIView):
    """The state of long work the site does in its task queue."""

    @extend_schema(
        summary="State of a task",
        description=(
            "A file not built yet (`/export/…`) is answered `202 Accepted`, its `Location` being this address. "
            "Ask it again (every few seconds, as `Retry-After` says) until `state` is `done`, then fetch "
            "`location`; `failed` says why in `detail`. A task is known here for a day after it ends."
        ),
        parameters=[OpenApiParameter("identifier", str, OpenApiParameter.PATH, pattern=TASK_ID_PATTERN)],
        responses=TaskSerializer,
    )
    def get(self, request: Request, identifier: str) -> Response:
        status = task_status(identifier)
        if status is None:
            raise NotFound(_("Tâche inconnue."))
        return Response(status.as_json(), headers={"Cache-Control": "no-store"})
