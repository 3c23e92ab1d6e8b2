namespace Firecrest.Core.Configuration;

/// <summary>A loaded, validated configuration and the warnings about keys that were ignored.</summary>
/// <param name="Settings">The settings.</param>
/// <param name="Warnings">One entry per unknown or unsupported key, with its path, e.g. <c>clusters[0].probing.startup_grace_period: unknown key, ignored</c>.</param>
/// <param name="SourcePath">The file the settings came from, or null when loaded from text.</param>
public sealed record ConfigLoadResult(FirecrestSettings Settings, IReadOnlyList<string> Warnings, string? SourcePath);
