namespace Shop.Web.Auth.Middleware;

public static class AdminJwtValidator
{
    /// <summary>Rejects requests whose token does not carry the admin role.</summary>
    public static bool UseAdminJwtValidationMiddleware(string? authorizationHeader)
    {
        var token = TokenReader.ReadBearerToken(authorizationHeader);
        return token is not null && token.Contains("role=admin", StringComparison.Ordinal);
    }
}
