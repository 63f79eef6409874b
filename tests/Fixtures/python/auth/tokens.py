"""Reading bearer tokens from requests."""


def read_bearer_token(headers):
    """Returns the bearer token of the Authorization header, or None."""
    value = headers.get("Authorization", "")
    if value.startswith("Bearer "):
        return value[len("Bearer "):]
    return None


class TokenDecoder:
    """Decodes and checks JWTs."""

    def decode(self, token):
        return self._split(token)

    def _split(self, token):
        return token.split(".")
