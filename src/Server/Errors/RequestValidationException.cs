namespace Firecrest.Server.Errors;

/// <summary>Invalid request input; answered with 400 <c>errorType:"validation"</c> and <c>data.fields</c>.</summary>
public sealed class RequestValidationException : Exception
{
    /// <summary>Creates the error from its invalid fields (the message names the first).</summary>
    public RequestValidationException(IReadOnlyList<FieldError> fields)
        : base(Describe(fields)) => Fields = fields;

    /// <summary>Creates the error for one field.</summary>
    public RequestValidationException(string location, string name, string message)
        : this([new FieldError(location, name, message)]) { }

    /// <summary>The invalid inputs.</summary>
    public IReadOnlyList<FieldError> Fields { get; }

    private static string Describe(IReadOnlyList<FieldError> fields)
    {
        var text = string.Join("; ", fields.Select(f => $"{f.Location}.{f.Name}: {f.Message}"));
        return text.Length == 0 ? "Invalid request" : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
