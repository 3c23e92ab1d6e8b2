using System.Text.Json;
using System.Text.Json.Serialization;

namespace Firecrest.Core.Json;

/// <summary>
/// Writes an enum without <see cref="WireNameAttribute"/>s as its member name in snake_case and reads that name (in any
/// case) or a number. On the enum type itself, so that every serializer, source-generated or not, writes it the same.
/// </summary>
public sealed class SnakeCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower) where T : struct, Enum;
