using System.Text.Json.Serialization;

namespace Firecrest.Server.Errors;

/// <summary>The FirecREST error envelope (<c>ApiResponseError</c>), used for every non-2xx response.</summary>
/// <param name="ErrorType"><c>error</c> or <c>validation</c>.</param>
/// <param name="Message">Human-readable message.</param>
/// <param name="CausedBy">Messages of the causes, or null.</param>
/// <param name="Data">Extra data (validation: <c>{"fields":[…]}</c>), or null.</param>
/// <param name="User">Authenticated user name, or null.</param>
public sealed record ApiError(
    string ErrorType,
    string Message,
    IReadOnlyList<string>? CausedBy = null,
    object? Data = null,
    string? User = null)
{
    /// <summary><c>errorType</c> of ordinary errors.</summary>
    public const string Error = "error";

    /// <summary><c>errorType</c> of request validation errors.</summary>
    public const string Validation = "validation";
}

/// <summary>One invalid input of a request (an entry of <c>data.fields</c>).</summary>
/// <param name="Location"><c>body</c>, <c>query</c>, <c>path</c> or <c>header</c>.</param>
/// <param name="Name">Field name as the client sent it.</param>
/// <param name="Message">What is wrong.</param>
public sealed record FieldError(string Location, string Name, string Message);

/// <summary>The <c>data</c> of a validation error.</summary>
/// <param name="Fields">Invalid inputs.</param>
public sealed record ValidationErrorData([property: JsonPropertyName("fields")] IReadOnlyList<FieldError> Fields);
