using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Firecrest.PowerShell.Loading;

/// <summary>
/// Sends the cmdlet assembly's requests for the engine and its dependencies to <see cref="FirecrestLoadContext"/>.
/// Registered once, as soon as the cmdlet assembly runs any code.
/// </summary>
internal static class DependencyResolver
{
    private static readonly object Gate = new();
    private static FirecrestLoadContext? _context;

    /// <summary>The private context (created on first use).</summary>
    public static FirecrestLoadContext Context
    {
        get
        {
            Register();
            return _context!;
        }
    }

#pragma warning disable CA2255 // A library that must hook assembly resolution before any of its code runs is the case this attribute exists for.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        lock (Gate)
        {
            if (_context is not null) return;
            var bin = Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? AppContext.BaseDirectory;
            _context = new FirecrestLoadContext(Path.Combine(bin, "dependencies"));
            AssemblyLoadContext.Default.Resolving += Resolve;
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext requester, AssemblyName name)
    {
        var context = _context;
        return context is not null && context.Owns(name) ? context.LoadFromAssemblyName(name) : null;
    }
}
