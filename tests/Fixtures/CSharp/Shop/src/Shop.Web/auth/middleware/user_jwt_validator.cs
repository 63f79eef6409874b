namespace Shop.Web.Auth.Middleware;

public static class UserJwtValidator
{
    /// <summary>Rejects requests that carry no user token.</summary>
    public static bool UseUserJwtValidationMiddleware(string? authorizationHeader)
    {
        var token = TokenReader.ReadBearerToken(authorizationHeader);
        return token is not null;
    }
}
