using Microsoft.Build.Locator;

namespace StructuralChunking.Roslyn.Internal;

/// <summary>
/// Registers the SDK's MSBuild once per process. It must run before any method that touches an MSBuild or
/// MSBuildWorkspace type is JIT-compiled, which is why callers keep workspace code in separate methods.
/// </summary>
internal static class MSBuildRegistration
{
#if NET9_0_OR_GREATER
    private static readonly Lock Gate = new();
#else
    private static readonly object Gate = new();
#endif
    private static string? s_registeredPath;

    public static string EnsureRegistered()
    {
        lock (Gate)
        {
            if (s_registeredPath is not null)
            {
                return s_registeredPath;
            }

            if (MSBuildLocator.IsRegistered)
            {
                s_registeredPath = "(registered by the host)";
                return s_registeredPath;
            }

            try
            {
                s_registeredPath = MSBuildLocator.RegisterDefaults().MSBuildPath;
                return s_registeredPath;
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException(
                    "No .NET SDK with MSBuild was found, so solutions and projects cannot be opened. Install the .NET SDK, " +
                    "or pass a folder instead: its .cs files are then compiled without MSBuild. (" + ex.Message + ")", ex);
            }
        }
    }
}
