namespace Firecrest.Core;

/// <summary>One invalid input: the argument's name as the caller sent it and what is wrong with it.</summary>
/// <param name="Name">Field name as the client sent it (<c>path</c>, <c>targetPath</c>, <c>transferDirectives.fileSize</c>).</param>
/// <param name="Message">What is wrong, without the field name.</param>
/// <param name="Location">
/// Where the face received it (<c>body</c>, <c>query</c>, <c>path</c> or <c>header</c>), or null when the engine does
/// not know; the server then fills it in from the request.
/// </param>
public sealed record InvalidField(string Name, string Message, string? Location = null);

/// <summary>
/// An invalid argument that names its field(s) (<see cref="HpcErrorKind.InvalidArgument"/>): the server answers it with the
/// 400 validation envelope and <c>data.fields</c>, direct callers read <see cref="Fields"/>.
/// </summary>
public class HpcValidationException : HpcException
{
    /// <summary>Creates the error from its invalid fields (the message names each).</summary>
    public HpcValidationException(IReadOnlyList<InvalidField> fields)
        : base(HpcErrorKind.InvalidArgument, Describe(fields)) => Fields = fields;

    /// <summary>Creates the error for one field.</summary>
    public HpcValidationException(string name, string message, string? location = null)
        : this([new InvalidField(name, message, location)]) { }

    /// <summary>The invalid inputs (at least one).</summary>
    public IReadOnlyList<InvalidField> Fields { get; }

    /// <summary>
    /// The message for <paramref name="fields"/>: <c>location.name: message</c> joined by <c>; </c>, first letter upper case
    /// (the wire form of a validation error); without a location just <c>name: message</c>.
    /// </summary>
    public static string Describe(IReadOnlyList<InvalidField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = string.Join("; ", fields.Select(f => $"{(f.Location is null ? "" : f.Location + ".")}{f.Name}: {f.Message}"));
        return text.Length == 0 ? "Invalid request" : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
