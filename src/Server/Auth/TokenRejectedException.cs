namespace Firecrest.Server.Auth;

/// <summary>A token refused by a FirecREST rule (e.g. min_token_ttl); its message goes to the client verbatim.</summary>
public sealed class TokenRejectedException(string message) : Exception(message);
