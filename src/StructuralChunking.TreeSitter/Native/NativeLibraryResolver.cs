using System.Reflection;
using System.Runtime.InteropServices;

namespace StructuralChunking.TreeSitter.Native;

/// <summary>
/// Finds <c>libstructchunk_treesitter.so</c> for this assembly's P/Invokes, and fails with a clear message on a
/// platform the package has no native library for.
/// </summary>
/// <remarks>
/// Looked for, in order: the runtime's own probing (the app folder, and <c>runtimes/linux-x64/native/</c> listed in
/// the app's <c>.deps.json</c> when the library comes from the NuGet package), then the folder of this assembly and
/// its <c>runtimes/linux-x64/native/</c> subfolder (plugin-style loads without a <c>.deps.json</c> entry).
/// </remarks>
internal static class NativeLibraryResolver
{
    /// <summary>The platforms a native library is built for (see the package README for the others).</summary>
    public const string SupportedPlatforms = "linux-x64";

#if NET9_0_OR_GREATER
    private static readonly Lock Gate = new();
#else
    private static readonly object Gate = new();
#endif
    private static bool _registered;
    private static nint _handle;

    /// <summary>Installs the resolver once; harmless when the host installed its own first.</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            _registered = true;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // The host set a resolver for this assembly already: it is in charge of finding the library.
            }
        }
    }

    /// <summary>Loads the library now, returning its handle (used for <c>tree_sitter_*</c> grammar exports).</summary>
    /// <exception cref="PlatformNotSupportedException">Not linux-x64.</exception>
    /// <exception cref="DllNotFoundException">The library is missing or cannot be loaded.</exception>
    public static nint Load()
    {
        lock (Gate)
        {
            if (_handle == 0)
            {
                _handle = LoadCore(typeof(NativeLibraryResolver).Assembly, null);
            }

            return _handle;
        }
    }

    /// <summary>Throws when this process's platform has no native library.</summary>
    /// <exception cref="PlatformNotSupportedException">Not linux-x64.</exception>
    public static void ThrowIfUnsupportedPlatform()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException(
                $"StructuralChunking.TreeSitter ships its native tree-sitter library for {SupportedPlatforms} only; this process is " +
                $"{RuntimeInformation.OSDescription} ({RuntimeInformation.RuntimeIdentifier}, {RuntimeInformation.ProcessArchitecture}). " +
                "Other platforms are future work; C# code can still be loaded with StructuralChunking.Roslyn.");
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!string.Equals(libraryName, TreeSitterNative.LibraryName, StringComparison.Ordinal))
        {
            return 0;
        }

        lock (Gate)
        {
            if (_handle == 0)
            {
                _handle = LoadCore(assembly, searchPath);
            }

            return _handle;
        }
    }

    private static nint LoadCore(Assembly assembly, DllImportSearchPath? searchPath)
    {
        ThrowIfUnsupportedPlatform();
        if (NativeLibrary.TryLoad(TreeSitterNative.LibraryName, assembly, searchPath, out var handle))
        {
            return handle;
        }

        var fileName = "lib" + TreeSitterNative.LibraryName + ".so";
        var folder = Path.GetDirectoryName(assembly.Location) is { Length: > 0 } location ? location : AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(folder, fileName),
            Path.Combine(folder, "runtimes", "linux-x64", "native", fileName),
            Path.Combine(AppContext.BaseDirectory, fileName),
        ];

        var errors = new List<string>();
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            if (!File.Exists(candidate))
            {
                errors.Add($"{candidate}: not found");
                continue;
            }

            try
            {
                return NativeLibrary.Load(candidate);
            }
            catch (DllNotFoundException ex)
            {
                errors.Add($"{candidate}: {ex.Message}");
            }
            catch (BadImageFormatException ex)
            {
                errors.Add($"{candidate}: {ex.Message}");
            }
        }

        throw new DllNotFoundException(
            $"The native tree-sitter library '{fileName}' could not be loaded. It is built by the StructuralChunking.TreeSitter " +
            $"project (native/build-native.sh) and shipped in its package under runtimes/linux-x64/native/. Tried: {string.Join("; ", errors)}.");
    }
}
