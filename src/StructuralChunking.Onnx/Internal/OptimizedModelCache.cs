using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace StructuralChunking.Onnx.Internal;

/// <summary>
/// Keeps an optimized copy of a model (<see cref="OnnxEmbeddingOptions.OptimizedModelCacheDirectory"/>) so that later
/// sessions skip parsing and optimizing it: the graph as ONNX Runtime optimized it, with its weights in a separate
/// file that ONNX Runtime maps into memory instead of copying.
/// </summary>
/// <remarks>
/// <para>Why: creating a session on all-MiniLM-L6-v2 (90 MB) took about 1 s of CPU, most of it copying and zeroing
/// memory (the protobuf parse, the weights copied into tensors, the optimizer's copies); from the optimized copy with
/// mapped weights it takes about 0.35 s, with the same results to the bit (docs/PERFORMANCE.md).</para>
/// <para>The copy is optimized at <see cref="GraphOptimizationLevel.ORT_ENABLE_EXTENDED"/> (the last level that stays
/// independent of the machine's CPU features) and loaded with optimizations off, so the graph that runs is the one the
/// uncached session runs. A copy belongs to one model file (full path, length, last write time) and one ONNX Runtime
/// version; any change makes a new one. It is written to a private temporary folder and renamed into place
/// whole, so a crash or a concurrent process never leaves a half-written copy where it is read. Any failure to
/// write or read the cache falls back to loading the model itself.</para>
/// </remarks>
internal static class OptimizedModelCache
{
    private const string ModelFileName = "model.onnx";
    private const string WeightsFileName = "model.onnx.data";
    private const string ManifestFileName = "manifest.txt";

    // Bumped when the layout of a cache entry changes.
    private const string CacheFormat = "1";

    /// <summary>
    /// Entries kept, most recently used first: every copy of a model (each build output, each tool version) is an entry
    /// of the model's size, so the oldest are deleted when a new one is written.
    /// </summary>
    internal const int MaxEntries = 4;

    /// <summary>
    /// Creates a session for <paramref name="modelPath"/> through the cache in <paramref name="cacheDirectory"/>:
    /// from the cached copy when there is a valid one, else from the model while writing the copy.
    /// </summary>
    public static InferenceSession CreateSession(string modelPath, string cacheDirectory, Func<SessionOptions> createOptions)
    {
        string entry;
        try
        {
            entry = Path.Combine(Path.GetFullPath(cacheDirectory), Key(modelPath));
            if (IsComplete(entry))
            {
                var options = createOptions();
                options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL;
                try
                {
                    var session = new InferenceSession(Path.Combine(entry, ModelFileName), options);
                    Touch(entry);
                    return session;
                }
                catch (OnnxRuntimeException)
                {
                    options.Dispose();
                    TryDelete(entry);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Uncached(modelPath, createOptions);
        }

        return CreateAndStore(modelPath, entry, createOptions);
    }

    /// <summary>The cache entry's name: a hash of the model file's identity, the ONNX Runtime version and the cache format.</summary>
    internal static string Key(string modelPath)
    {
        var info = new FileInfo(Path.GetFullPath(modelPath));
        var identity = string.Join('\n', CacheFormat, OrtEnv.Instance().GetVersionString(), info.FullName, info.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            info.LastWriteTimeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(identity));
        return Convert.ToHexString(hash, 0, 16).ToLowerInvariant();
    }

    private static InferenceSession Uncached(string modelPath, Func<SessionOptions> createOptions) => new(modelPath, createOptions());

    private static InferenceSession CreateAndStore(string modelPath, string entry, Func<SessionOptions> createOptions)
    {
        var parent = Path.GetDirectoryName(entry)!;
        string temporary;
        try
        {
            CreatePrivateDirectory(parent);
            temporary = Path.Combine(parent, $".{Path.GetFileName(entry)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            CreatePrivateDirectory(temporary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Uncached(modelPath, createOptions);
        }

        var options = createOptions();
        options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED;
        options.OptimizedModelFilePath = Path.Combine(temporary, ModelFileName);
        options.AddSessionConfigEntry("session.optimized_model_external_initializers_file_name", WeightsFileName);
        options.AddSessionConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, options);
        }
        catch
        {
            options.Dispose();
            TryDelete(temporary);
            throw;
        }

        try
        {
            // The manifest is written last and names the lengths of both files: an entry without it, or whose files
            // have other lengths, is never used.
            var model = new FileInfo(Path.Combine(temporary, ModelFileName));
            var weights = new FileInfo(Path.Combine(temporary, WeightsFileName));
            File.WriteAllText(Path.Combine(temporary, ManifestFileName), Manifest(model.Length, weights.Length));
            if (Directory.Exists(entry))
            {
                // Entries appear only whole (by rename), so one that is there but incomplete was damaged: replace it.
                Directory.Delete(entry, recursive: true);
            }

            Directory.Move(temporary, entry);
            Prune(parent, entry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another process stored the same entry first, or the disk is full: the session is good either way.
            TryDelete(temporary);
        }

        return session;
    }

    /// <summary>Marks an entry as used (its manifest's time), for <see cref="Prune"/>.</summary>
    private static void Touch(string entry)
    {
        try
        {
            File.SetLastWriteTimeUtc(Path.Combine(entry, ManifestFileName), DateTime.UtcNow);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only the pruning order suffers.
        }
    }

    /// <summary>Deletes all but the <see cref="MaxEntries"/> most recently used entries (never <paramref name="keep"/>).</summary>
    internal static void Prune(string parent, string keep)
    {
        try
        {
            var entries = new DirectoryInfo(parent).GetDirectories()
                .Where(d => !d.Name.StartsWith('.') && !string.Equals(d.FullName, Path.GetFullPath(keep), StringComparison.Ordinal))
                .Select(d => (Directory: d, Used: File.GetLastWriteTimeUtc(Path.Combine(d.FullName, ManifestFileName))))
                .OrderByDescending(e => e.Used)
                .Skip(MaxEntries - 1);
            foreach (var (directory, _) in entries)
            {
                TryDelete(directory.FullName);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next new entry to prune.
        }
    }

    private static string Manifest(long modelLength, long weightsLength) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"structchunk optimized model {CacheFormat}\n{modelLength}\n{weightsLength}\n");

    private static bool IsComplete(string entry)
    {
        var manifest = Path.Combine(entry, ManifestFileName);
        if (!File.Exists(manifest))
        {
            return false;
        }

        var model = new FileInfo(Path.Combine(entry, ModelFileName));
        var weights = new FileInfo(Path.Combine(entry, WeightsFileName));
        return model.Exists && weights.Exists && File.ReadAllText(manifest) == Manifest(model.Length, weights.Length);
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for a later run; an entry without a valid manifest is never used.
        }
    }
}
