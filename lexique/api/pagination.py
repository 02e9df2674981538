"""Pages of results: the client picks the page size up to a maximum; a wrong value is a 400, not a guess."""
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


def positive_int(request, name, *, default, maximum, minimum=1):
    """An integer query parameter, strictly checked: the schema promises what the server enforces."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    # (Python refuses to read integers of thousands of digits: the length is checked first.)
    if not raw.isascii() or not raw.isdigit() or len(raw) > 20 or not minimum <= int(raw) <= maximum:
        raise ValidationError({name: [_("Un entier entre %(min)d et %(max)d est attendu.")
                                      % {"min": minimum, "max": maximum}]})
    return int(raw)


class PagePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()  # "page=last" would not be the integer the schema promises

    def get_page_number(self, request, paginator):
        # An integer from 1, strictly: "?page=" or "?page=x" is a 400, a page past the end a 404.
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not raw.isascii() or not raw.isdigit() or not raw.strip("0"):
            raise ValidationError({self.page_query_param: [_("Un numéro de page à partir de 1 est attendu.")]})
        if len(raw) > 18:
            raise NotFound(_("Page invalide."))
        return int(raw)

    def get_page_size(self, request):
        return positive_int(request, self.page_size_query_param, default=self.page_size, maximum=self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters


class TermPagination(PagePagination):
    """Pages of terms, with the version of the published set they were read at."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # Read before the terms themselves: following changes/?cursor=<version> replays
        # everything that may have changed while the pages were being fetched.
        response.data["version"] = getattr(self.request, "lexicon_version", None)
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["version"] = {
            "type": "integer",
            "description": "Version of the published set (= the changes feed's cursor) when this page was read.",
        }
        paginated["required"].append("version")
        return paginated
