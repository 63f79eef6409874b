namespace Shop.Web.Auth.Middleware;

public static class TokenReader
{
    /// <summary>Reads the bearer token from an Authorization header value.</summary>
    public static string? ReadBearerToken(string? authorizationHeader) =>
        authorizationHeader is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;
}
