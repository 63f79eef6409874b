import auth.tokens as tokens
from ..tokens import TokenDecoder


class BaseValidator:
    def validate(self, token):
        return self.decode(token) is not None

    def decode(self, token):
        return TokenDecoder().decode(token)


# Validates ordinary users.
class UserValidator(BaseValidator):
    @staticmethod
    def describe():
        return "user"

    def run(self, request):
        return self.validate(tokens.read_bearer_token(request.headers))


def useUserJwtValidationMiddleware(app):
    """Rejects requests without a valid user JWT."""
    token = tokens.read_bearer_token(app.headers)
    return UserValidator().run(token)
