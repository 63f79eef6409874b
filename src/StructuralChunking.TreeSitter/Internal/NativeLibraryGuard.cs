using StructuralChunking.TreeSitter.Native;

namespace StructuralChunking.TreeSitter.Internal;

/// <summary>Turns the self-check's runtime error back into the exception a caller can act on.</summary>
internal static class NativeLibraryGuard
{
    public static void Throw(string runtimeError)
    {
        NativeLibraryResolver.ThrowIfUnsupportedPlatform();
        throw new DllNotFoundException(runtimeError);
    }
}
