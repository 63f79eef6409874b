using StructuralChunking.Indexing;

namespace StructuralChunking.Mcp;

/// <summary>
/// An index that stays fresh while it is served: either a fixed index file, or a code base folder that is watched and
/// re-indexed incrementally (through <see cref="CodeSearchEngine.IndexAsync"/>) in the background after its files change.
/// </summary>
/// <remarks>
/// <para>Readers always see a complete index: <see cref="Current"/> is swapped in one assignment when a re-index has
/// finished, and the previous index keeps answering until then. Work is bounded: one re-index runs at a time, and every
/// change made while it runs is coalesced into at most one more.</para>
/// <para>File events go through the discovery policy's cheap checks (hidden names, excluded folders, the index's own
/// folder); what the ignore files exclude is left to re-indexing, which finds such a change up to date without parsing.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class LiveCodeIndex : IDisposable
{
    private readonly CodeSearchEngine _engine;
    private readonly string? _root;
    private readonly string? _indexPath;
    private readonly LiveCodeIndexOptions _options;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private FileSystemWatcher? _watcher;
    private Task? _loop;
    private CodeIndex? _current;
    private readonly TaskCompletionSource<CodeIndex> _firstIndex = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _generation;
    private long _changesSeen;
    private long _changesIndexed;
    private string? _lastError;
    private DateTimeOffset? _lastIndexed;
    private TimeSpan _lastDuration;
    private bool _indexing;

    private LiveCodeIndex(CodeSearchEngine engine, string? root, string? indexPath, LiveCodeIndexOptions options)
    {
        _engine = engine;
        _root = root;
        _indexPath = indexPath;
        _options = options;
    }

    /// <summary>Serves a fixed index file (or a folder's default index), without watching anything.</summary>
    /// <exception cref="FileNotFoundException">No index there.</exception>
    /// <exception cref="IndexFormatException">The file is not a readable index.</exception>
    /// <exception cref="IndexModelMismatchException">The index was built with another model than the engine's.</exception>
    public static LiveCodeIndex Open(CodeSearchEngine engine, string indexPath)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var index = engine.OpenIndex(indexPath);
        var live = new LiveCodeIndex(engine, null, Path.GetFullPath(indexPath), new LiveCodeIndexOptions());
        live.Publish(index, TimeSpan.Zero);
        return live;
    }

    /// <summary>
    /// Serves a code base folder: its existing index (if any) answers at once, an incremental re-index brings it up to
    /// date in the background, and every later change to its source files is re-indexed after <see cref="LiveCodeIndexOptions.Debounce"/>.
    /// </summary>
    /// <param name="engine">The engine (front ends, model) to index with.</param>
    /// <param name="root">The folder to serve.</param>
    /// <param name="options">Index path, debounce, watching; <c>null</c> for the defaults.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static LiveCodeIndex Watch(CodeSearchEngine engine, string root, LiveCodeIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentException.ThrowIfNullOrEmpty(root);
        options ??= new LiveCodeIndexOptions();
        options.Validate();
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The folder '{full}' does not exist.");
        }

        var indexPath = Path.GetFullPath(options.IndexPath ?? IndexingOptions.DefaultIndexPath(full));
        var live = new LiveCodeIndex(engine, full, indexPath, options);
        if (File.Exists(indexPath))
        {
            try
            {
                live.Publish(engine.OpenIndex(indexPath), TimeSpan.Zero);
            }
            catch (Exception ex) when (ex is IndexFormatException or IndexModelMismatchException or IOException)
            {
                // Re-indexing replaces it; until then there is nothing to answer from.
                live._lastError = ex.Message;
            }
        }

        if (options.WatchFiles)
        {
            live.StartWatching();
        }

        live._loop = Task.Run(live.RunAsync);
        live.RequestReindex();
        return live;
    }

    /// <summary>The engine the index is searched and re-indexed with.</summary>
    public CodeSearchEngine Engine => _engine;

    /// <summary>The folder being served, or <c>null</c> for a fixed index file.</summary>
    public string? Root => _root;

    /// <summary>The index file.</summary>
    public string? IndexPath => _indexPath;

    /// <summary>The index answering now, or <c>null</c> while the first one is being built.</summary>
    public CodeIndex? Current => Volatile.Read(ref _current);

    /// <summary>How many indexes have been published (the first one is 1); grows by one with each swap.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Raised after a new index was swapped in (on a background thread).</summary>
    public event EventHandler<CodeIndex>? Updated;

    /// <summary>A snapshot of what is served and whether it is up to date.</summary>
    public LiveIndexStatus Status
    {
        get
        {
            lock (_gate)
            {
                var index = Current;
                return new LiveIndexStatus
                {
                    Root = _root,
                    IndexPath = _indexPath,
                    Ready = index is not null,
                    Watching = _watcher is not null,
                    Indexing = _indexing,
                    Pending = Interlocked.Read(ref _changesSeen) != Interlocked.Read(ref _changesIndexed),
                    Generation = Generation,
                    ChunkCount = index?.Chunks.Length ?? 0,
                    FileCount = index?.Metadata.FileHashes.Count ?? 0,
                    ModelId = index?.Metadata.ModelId ?? _engine.Profile.ModelId,
                    HasGraph = index?.HasGraph ?? false,
                    MinScores = index?.Metadata.MinScores ?? new Dictionary<string, float>(),
                    LastIndexed = _lastIndexed,
                    LastIndexDuration = _lastDuration,
                    LastError = _lastError,
                };
            }
        }
    }

    /// <summary>The current index, waiting for the first one when it is still being built.</summary>
    /// <exception cref="TimeoutException">No index within <paramref name="timeout"/>.</exception>
    public async Task<CodeIndex> GetIndexAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (Current is { } index)
        {
            return index;
        }

        Task<CodeIndex> first;
        lock (_gate)
        {
            first = _firstIndex.Task;
        }

        try
        {
            return await first.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(_lastError is { } error
                ? $"The index is not ready: the last indexing run failed: {error}"
                : "The index is still being built; try again shortly.");
        }
    }

    /// <summary>
    /// Completes when every change seen so far is in <see cref="Current"/> (or indexing it failed), so a caller that
    /// just changed a file can wait for its answer deterministically.
    /// </summary>
    public async Task WaitUntilFreshAsync(CancellationToken cancellationToken = default)
    {
        var wanted = Interlocked.Read(ref _changesSeen);
        while (Interlocked.Read(ref _changesIndexed) < wanted)
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnDone(object? sender, EventArgs e) => tcs.TrySetResult();
            RunFinished += OnDone;
            try
            {
                if (Interlocked.Read(ref _changesIndexed) >= wanted)
                {
                    break;
                }

                await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                RunFinished -= OnDone;
            }
        }
    }

    /// <summary>Asks for a re-index, as a file change would (after the debounce).</summary>
    public void RequestReindex()
    {
        if (_root is null)
        {
            return;
        }

        Interlocked.Increment(ref _changesSeen);
        Signal();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _watcher?.Dispose();
        _stopping.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation; its failures were recorded in the status.
        }

        _stopping.Dispose();
        _changed.Dispose();
    }

    private event EventHandler? RunFinished;

    private void StartWatching()
    {
        var watcher = new FileSystemWatcher(_root!)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Changed += (_, e) => OnFileEvent(e.FullPath);
        watcher.Created += (_, e) => OnFileEvent(e.FullPath);
        watcher.Deleted += (_, e) => OnFileEvent(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            OnFileEvent(e.OldFullPath);
            OnFileEvent(e.FullPath);
        };

        // A lost event buffer means unknown changes: re-index and let the fingerprint decide.
        watcher.Error += (_, _) => RequestReindex();
        watcher.EnableRaisingEvents = true;
        _watcher = watcher;
    }

    private void OnFileEvent(string fullPath)
    {
        if (IsRelevant(fullPath))
        {
            Interlocked.Increment(ref _changesSeen);
            Signal();
        }
    }

    /// <summary>True unless the path is one discovery never reads: the index's folder, hidden names, excluded folders.</summary>
    internal bool IsRelevant(string fullPath)
    {
        var relative = Path.GetRelativePath(_root!, fullPath);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return false;
        }

        var indexFolder = Path.GetDirectoryName(_indexPath!)!;
        if (fullPath.StartsWith(indexFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || fullPath == _indexPath)
        {
            return false;
        }

        var discovery = _engine.Options.Discovery;
        var segments = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Length - 1;

            // Ignore files change what is discovered, so they count although they are hidden.
            if (isLast && (segment == ".gitignore" || segment == discovery.ProjectIgnoreFileName))
            {
                return true;
            }

            if ((!discovery.IncludeHidden && segment.StartsWith('.')) || (!isLast && discovery.ExcludedDirectoryNames.Contains(segment)))
            {
                return false;
            }
        }

        return true;
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A run is already requested; this change joins it.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(token).ConfigureAwait(false);

                // Debounce: an editor's save or a checkout comes as a burst of events; index once it is quiet.
                while (await _changed.WaitAsync(_options.Debounce, token).ConfigureAwait(false))
                {
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var upTo = Interlocked.Read(ref _changesSeen);
            lock (_gate)
            {
                _indexing = true;
            }

            try
            {
                var result = await _engine.IndexAsync(_root!, new IndexingOptions { IndexPath = _indexPath }, progress: null, token).ConfigureAwait(false);
                lock (_gate)
                {
                    _lastError = null;
                }

                if (!result.UpToDate || Current is null)
                {
                    Publish(result.Index, result.Elapsed);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The previous index keeps answering; the status says what went wrong, and the next change retries.
                lock (_gate)
                {
                    _lastError = $"{ex.GetType().Name}: {ex.Message}";
                }

                _options.Log?.Invoke($"re-indexing failed: {ex.Message}");
            }
            finally
            {
                lock (_gate)
                {
                    _indexing = false;
                }

                InterlockedMax(ref _changesIndexed, upTo);
                RunFinished?.Invoke(this, EventArgs.Empty);
            }
        }
    }

    private void Publish(CodeIndex index, TimeSpan elapsed)
    {
        TaskCompletionSource<CodeIndex> first;
        lock (_gate)
        {
            Volatile.Write(ref _current, index);
            _lastIndexed = DateTimeOffset.UtcNow;
            _lastDuration = elapsed;
            Interlocked.Increment(ref _generation);
            first = _firstIndex;
        }

        first.TrySetResult(index);
        _options.Log?.Invoke($"serving {index.Chunks.Length} chunks from {index.Metadata.FileHashes.Count} files (generation {Generation})");
        Updated?.Invoke(this, index);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
