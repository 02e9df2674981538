"""Strict serializer fields: a JSON value of the wrong type is refused, never coerced."""
import re
from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Every text refuses NUL characters (databases cannot store them); the schema says so with these patterns.
# "\s" means different things in Python and in the schema's ECMA regexes: spaces are listed instead
# (everything either side calls a space, so that "blank" is the same for the schema and the server).
_SPACES = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*[^\x00" + _SPACES + r"][^\x00]*$"
# The content's texts follow lexique.core.inputs (what every format can write): no control character but
# tab and line breaks, no noncharacter; one-line fields (headwords, category, synonyms) no control at all.
_NONCHARACTERS = r"\ufdd0-\ufdef\ufffe\uffff"
# (Other systems' line separators, U+000B, U+000C, U+001C–U+001E, U+0085, become line breaks there.)
_MULTI_LINE_REFUSED = r"\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f" + _NONCHARACTERS
_ONE_LINE_REFUSED = r"\x00-\x1f\x7f-\x9f\u2028\u2029" + _NONCHARACTERS
TEXT = r"^[^" + _MULTI_LINE_REFUSED + r"]*$"
TEXT_NOT_BLANK = r"^[^" + _MULTI_LINE_REFUSED + r"]*[^" + _MULTI_LINE_REFUSED + _SPACES + r"][^" \
    + _MULTI_LINE_REFUSED + r"]*$"
ONE_LINE = r"^[^" + _ONE_LINE_REFUSED + r"]*$"
ONE_LINE_NOT_BLANK = r"^[^" + _ONE_LINE_REFUSED + r"]*[^" + _ONE_LINE_REFUSED + _SPACES + r"][^" \
    + _ONE_LINE_REFUSED + r"]*$"
# A subset of what the source rule (lexique.core.inputs.clean_source_url) accepts, written so that the schema
# can say it exactly (host names of up to 6 labels of 40 characters stay under the 253-character limit).
# The services normalise what it lets through: characters a URI cannot hold, spaces included, are
# percent-encoded; control characters are refused here and there.
_URL_CHAR = r"[^" + _ONE_LINE_REFUSED + r"]"
SOURCE_URL = (
    r"^https?://([A-Za-z0-9]([A-Za-z0-9-]{0,38}[A-Za-z0-9])?\.){1,5}[A-Za-z]{2,24}([/?#]" + _URL_CHAR + "*)?$"
)
_SURROGATES = re.compile("[\ud800-\udfff]")


class StrictCharField(serializers.CharField):
    """Text only (no number or boolean turned into text), checked before any trimming."""

    def __init__(self, *, pattern: str = NO_NUL, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        if pattern:
            # The schema states the pattern in ECMA syntax, where "$" is the very end of the text.
            anchored = pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern
            self.validators.append(RegexValidator(anchored, _("Valeur invalide.")))
            self.pattern = pattern

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if _SURROGATES.search(data):  # lone surrogates cannot be stored as UTF-8
            raise serializers.ValidationError(_("Caractères invalides."))
        return super().to_internal_value(data)


# Names (headwords, synonyms) follow rules no regular expression can say (lexique/names.py): the schema
# gives them a format of their own, with the rules in words.
NAME_FORMAT = "name"
NAME_RULES = (
    "A name: invisible, format, private-use and direction-changing characters are refused (the zero-width "
    "joiner and non-joiner are accepted between two visible characters), at least one character must be "
    "visible, and a name may not imitate another term's name with letters of another script."
)


@extend_schema_field({"type": "string", "format": NAME_FORMAT, "description": NAME_RULES})
class NameField(StrictCharField):
    """A headword or a synonym: checked by the services with names.clean_name."""


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictListField(serializers.ListField):
    """A JSON array only (DRF would also take a form's repeated keys)."""

    def to_internal_value(self, data: Any) -> list[Any]:
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictDictSerializer(serializers.Serializer[Any]):
    """A nested object that refuses fields it does not know."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Champ inconnu.")] for name in unknown}
                )
        return super().to_internal_value(data)
