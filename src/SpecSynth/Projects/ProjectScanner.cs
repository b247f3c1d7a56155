namespace SpecSynth.Projects;

/// <summary>
/// Scans a project folder into a <see cref="ProjectContext"/>: the tree, the text files (secrets redacted) and
/// the detected language and framework. Files that may hold secrets (<c>.env*</c>, keys, certificates,
/// credential stores) are listed in <see cref="ProjectContext.SecretFilesSkipped"/> and never opened.
/// Build/tool folders (<c>.git</c>, <c>bin</c>, <c>obj</c>, <c>node_modules</c>, ...) are never entered,
/// <c>.gitignore</c> and <c>.specsynthignore</c> files are honoured at every level, directory links are not
/// followed and file links are listed but not read. The result is deterministic: everything is sorted by
/// ordinal path. Instances are immutable and thread-safe.
/// </summary>
internal sealed class ProjectScanner
{
    private readonly ProjectScanOptions _options;
    private readonly ProjectWalker _walker;

    /// <summary>Creates a scanner.</summary>
    /// <param name="options">Limits and extra patterns; <see cref="ProjectScanOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public ProjectScanner(ProjectScanOptions? options = null)
    {
        _options = options ?? ProjectScanOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxFileBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxTotalBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxFiles, nameof(options));
        ArgumentNullException.ThrowIfNull(_options.IgnorePatterns, nameof(options));
        _walker = new ProjectWalker(_options);
    }

    /// <summary>What the last scan's walk took from its cache (<see cref="ProjectScanOptions.CacheFolder"/>); for benchmarks and tests.</summary>
    public WalkStats? LastWalk => _walker.Last;

    /// <summary>Scans <paramref name="root"/>.</summary>
    /// <param name="root">The project folder; relative paths resolve against the current directory.</param>
    /// <param name="ct">Cancels the walk and the reads.</param>
    /// <returns>The context; <see cref="ProjectContext.Empty"/> of the full path when the folder does not exist.</returns>
    /// <exception cref="SpecSynthException"><paramref name="root"/> is a file (<see cref="ErrorKind.InvalidInput"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    /// <remarks>Without <see cref="ProjectScanOptions.ReadContents"/> (what <c>context</c> and <c>index</c> scan) the whole scan
    /// runs as one work item: no async state machine and no LINQ over value tuples, whose generic code ReadyToRun does not
    /// precompile (it was JIT-compiled at tier 0 in every warm <c>context</c> run, on the walk's critical path).</remarks>
    public Task<ProjectContext> ScanAsync(string root, CancellationToken ct = default) =>
        _options.ReadContents ? ScanAndReadAsync(root, ct) : Task.Run(() => ScanPaths(root, ct), ct);

    private ProjectContext ScanPaths(string root, CancellationToken ct)
    {
        if (Resolve(root) is not { } fullRoot)
        {
            return ProjectContext.Empty(FullRoot(root));
        }
        var entries = _walker.Walk(fullRoot, ct);
        var (tree, secrets) = Listed(entries);
        // Nothing to read beside it: the detection runs on this thread.
        var (language, framework) = ProjectDetector.Detect(fullRoot, tree);
        return Context(fullRoot, entries, tree, secrets, language, framework, [], 0);
    }

    private async Task<ProjectContext> ScanAndReadAsync(string root, CancellationToken ct)
    {
        if (Resolve(root) is not { } fullRoot)
        {
            return ProjectContext.Empty(FullRoot(root));
        }
        var entries = await Task.Run(() => _walker.Walk(fullRoot, ct), ct).ConfigureAwait(false);
        var (tree, secrets) = Listed(entries);
        var detection = Task.Run(() => ProjectDetector.Detect(fullRoot, tree), ct);
        var (files, redactions) = await ReadAsync(Plan(entries), ct).ConfigureAwait(false);
        var (language, framework) = await detection.ConfigureAwait(false);
        return Context(fullRoot, entries, tree, secrets, language, framework, files, redactions);
    }

    private static string FullRoot(string root) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    /// <summary>The full path of <paramref name="root"/>, or <c>null</c> when no such folder exists.</summary>
    /// <exception cref="SpecSynthException">It is a file.</exception>
    private static string? Resolve(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var fullRoot = FullRoot(root);
        if (File.Exists(fullRoot))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"The project path '{fullRoot}' is a file; give its folder instead.");
        }
        return Directory.Exists(fullRoot) ? fullRoot : null;
    }

    /// <summary>The walk's paths, and those of files that may hold secrets.</summary>
    private static (List<string> Tree, List<string> Secrets) Listed(List<WalkEntry> entries)
    {
        var tree = new List<string>(entries.Count);
        var secrets = new List<string>();
        foreach (var entry in entries)
        {
            tree.Add(entry.RelativePath);
            if (SecretFiles.IsSecret(entry.RelativePath))
            {
                secrets.Add(entry.RelativePath);
            }
        }
        return (tree, secrets);
    }

    private static ProjectContext Context(string fullRoot, List<WalkEntry> entries, List<string> tree, List<string> secrets, string? language,
        string? framework, List<ProjectFile> files, int redactions) =>
        new()
        {
            Root = fullRoot,
            Language = language,
            Framework = framework,
            Files = files,
            Tree = tree,
            SecretFilesSkipped = secrets,
            Entries = entries,
            RedactionCount = redactions,
        };

    /// <summary>Reads the planned files in parallel: the files read, in the plan's (ordinal) order, and their redactions in all.</summary>
    private async Task<(List<ProjectFile> Files, int Redactions)> ReadAsync(List<WalkEntry> planned, CancellationToken ct)
    {
        var results = new (ProjectFile File, int Redactions)?[planned.Count];
        var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount };
        await Parallel.ForEachAsync(Enumerable.Range(0, planned.Count), parallel, async (i, token) =>
            results[i] = await ProjectFileReader.ReadAsync(planned[i], _options.MaxFileBytes, token).ConfigureAwait(false))
            .ConfigureAwait(false);
        var files = new List<ProjectFile>(results.Length);
        var redactions = 0;
        foreach (var result in results)
        {
            if (result is { } read)
            {
                files.Add(read.File);
                redactions += read.Redactions;
            }
        }
        return (files, redactions);
    }

    private List<WalkEntry> Plan(List<WalkEntry> entries)
    {
        var planned = new List<WalkEntry>();
        var budget = _options.MaxTotalBytes;
        foreach (var entry in entries)
        {
            if (entry.IsSymlink || entry.Bytes > _options.MaxFileBytes || entry.Bytes > budget
                || SecretFiles.IsSecret(entry.RelativePath) || SkippedFiles.SkipByName(entry.RelativePath))
            {
                continue;
            }
            budget -= entry.Bytes;
            planned.Add(entry);
        }
        return planned;
    }
}
