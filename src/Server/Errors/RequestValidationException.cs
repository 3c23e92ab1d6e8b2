using Firecrest.Core;

namespace Firecrest.Server.Errors;

/// <summary>
/// Invalid request input found by the server itself (JSON shape, required body fields, types): the engine's
/// <see cref="HpcValidationException"/> with a location always set; answered like every validation error.
/// </summary>
public sealed class RequestValidationException : HpcValidationException
{
    /// <summary>Creates the error from its invalid fields.</summary>
    public RequestValidationException(IReadOnlyList<FieldError> fields)
        : base(fields.Select(f => new InvalidField(f.Name, f.Message, f.Location)).ToList()) { }

    /// <summary>Creates the error for one field.</summary>
    public RequestValidationException(string location, string name, string message)
        : base([new InvalidField(name, message, location)]) { }
}
