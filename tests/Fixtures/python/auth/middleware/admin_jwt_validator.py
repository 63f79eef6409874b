from auth.tokens import read_bearer_token


def useAdminJwtValidationMiddleware(app):
    """Rejects requests whose JWT lacks the admin role."""

    def middleware(request):
        token = read_bearer_token(request.headers)
        return check(token)

    def check(token):
        return token is not None and "admin" in token

    app.use(middleware)
    return app
