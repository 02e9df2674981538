"""API tokens of a person: shown on their account page, revocable (rest_framework.authtoken)."""
from rest_framework.authtoken.models import Token


def get_or_create_token(user) -> str:
    """The person's token, made on first request: the one key their scripts send."""
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


def revoke_token(user) -> bool:
    """Delete the person's token (every client using it stops working); False if there was none."""
    deleted, _details = Token.objects.filter(user=user).delete()
    return bool(deleted)


def current_token(user):
    """The person's token if they have one, else None (for display without creating one)."""
    return Token.objects.filter(user=user).values_list("key", flat=True).first()
