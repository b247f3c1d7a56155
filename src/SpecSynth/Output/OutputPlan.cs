using System.Text;
using SpecSynth.Parsing;

namespace SpecSynth.Output;

/// <summary>
/// A checked batch of generated files for one output folder: every path confined by <see cref="PathGuard"/>,
/// and for each file whether it will be created, modified or left unchanged, with the current content.
/// Building a plan reads the disk but never writes; <see cref="SafeFileWriter"/> applies it.
/// </summary>
/// <remarks>
/// All paths are checked before anything else: one bad path refuses the whole batch, and the exception
/// lists every refused path. Paths are compared in Unicode NFC. Two paths that differ only in case or in their Unicode
/// spelling (composed or decomposed accents: one name to a reader; they clash on Windows and macOS), that
/// resolve to the same file through a link, or where one is a folder of the other, are refused too.
/// The plan is a snapshot: the writer re-checks each file just before replacing it.
/// </remarks>
internal sealed class OutputPlan
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ProtectedFiles _protectedFiles;

    private OutputPlan(string outputRoot, IReadOnlyList<GeneratedFile> files, ProtectedFiles protectedFiles, string? realRoot = null)
    {
        OutputRoot = PathGuard.FullRoot(outputRoot);
        if (File.Exists(OutputRoot))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"The output folder '{OutputRoot}' is a file. Choose a folder.");
        }
        RealRoot = realRoot ?? PathGuard.RealRoot(OutputRoot);
        _protectedFiles = protectedFiles;
        var confined = ConfineAll(files);
        Files = [.. confined.Select(c => Read(c.File, c.Relative, c.Real))];
    }

    /// <summary>Checks <paramref name="files"/> against <paramref name="outputRoot"/> and reads what is there now.</summary>
    /// <param name="outputRoot">The output folder; created on write if it does not exist.</param>
    /// <param name="files">The generated files; their paths are untrusted.</param>
    /// <param name="protectedFiles">Files the batch may not replace, by full path (the specs of the run, so a reply
    /// cannot rewrite the instructions of the next run); <c>null</c> for none.</param>
    /// <returns>The plan; nothing has been written.</returns>
    /// <exception cref="SpecSynthException">
    /// A path is unsafe or conflicts with another path or with the disk (<see cref="ErrorKind.UnusableOutput"/>),
    /// or the output folder or an existing file cannot be read (<see cref="ErrorKind.InvalidInput"/>).
    /// </exception>
    public static OutputPlan Create(string outputRoot, IReadOnlyList<GeneratedFile> files, IReadOnlyList<string>? protectedFiles = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        return new OutputPlan(outputRoot, files, protectedFiles is null ? ProtectedFiles.None : ProtectedFiles.Resolve(protectedFiles));
    }

    /// <summary>Like <see cref="Create(string, IReadOnlyList{GeneratedFile}, IReadOnlyList{string})"/>, with the protected
    /// files already resolved (once for a run of many specs).</summary>
    public static OutputPlan Create(string outputRoot, IReadOnlyList<GeneratedFile> files, ProtectedFiles protectedFiles)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(protectedFiles);
        return new OutputPlan(outputRoot, files, protectedFiles);
    }

    /// <summary>Like <see cref="Create(string, IReadOnlyList{GeneratedFile}, ProtectedFiles)"/>, with the output folder's real
    /// path resolved once for a run of many specs (<see cref="PathGuard.RealRoot"/> at the run's first write), not again for
    /// every spec (issue 19: ~4 <c>readlink</c> and 4 <c>lstat</c> a spec). It is only the reference the files must stay
    /// inside: every file's path is still resolved from the file system root here and again just before it is written, so
    /// an output folder replaced by a link after the first write is refused, not followed.</summary>
    internal static OutputPlan Create(string outputRoot, string realRoot, IReadOnlyList<GeneratedFile> files, ProtectedFiles protectedFiles)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(protectedFiles);
        ArgumentException.ThrowIfNullOrWhiteSpace(realRoot);
        return new OutputPlan(outputRoot, files, protectedFiles, realRoot);
    }

    /// <summary>The absolute output folder, as given (links not resolved).</summary>
    public string OutputRoot { get; }

    /// <summary>Every file of the batch, in the order given.</summary>
    public IReadOnlyList<PlannedFile> Files { get; }

    /// <summary>The files that will be created or modified.</summary>
    public IReadOnlyList<PlannedFile> Changes => [.. Files.Where(f => f.Action != FileAction.Unchanged)];

    /// <summary>The output folder with symbolic links resolved.</summary>
    internal string RealRoot { get; }

    /// <summary>A unified diff of every change, in order (empty when nothing changes); for <c>--dry-run</c>. Both sides
    /// are redacted (<see cref="Projects.SecretRedactor"/>, by each file's kind), so a secret in a file being replaced,
    /// or one the model wrote, is not printed.</summary>
    /// <param name="context">Lines of context around each change.</param>
    public string ToUnifiedDiff(int context = 3)
    {
        var sb = new StringBuilder();
        foreach (var file in Changes)
        {
            var old = file.OldContent is null ? null : Projects.SecretRedactor.Redact(file.OldContent, file.Path, out _);
            var current = Projects.SecretRedactor.Redact(file.NewContent, file.Path, out _);
            sb.Append(UnifiedDiff.Create(file.Path, file.Path, old, current, context));
        }
        return sb.ToString();
    }

    /// <summary>The bytes specsynth writes for <paramref name="content"/> (UTF-8, no BOM).</summary>
    internal static byte[] Encode(string content) => Utf8NoBom.GetBytes(content);

    private List<(GeneratedFile File, string Relative, string Real)> ConfineAll(IReadOnlyList<GeneratedFile> files)
    {
        var problems = new List<string>();
        var result = new List<(GeneratedFile File, string Relative, string Real)>();
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var byReal = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            ArgumentNullException.ThrowIfNull(file);
            ArgumentNullException.ThrowIfNull(file.Content);
            try
            {
                var (relative, real) = PathGuard.ConfineCore(OutputRoot, RealRoot, file.Path);
                if (_protectedFiles.Contains(real))
                {
                    problems.Add($"'{relative}': it is a specification of this run, which generated code may not rewrite");
                    continue;
                }
                if (byName.TryGetValue(relative, out var first) || byReal.TryGetValue(real, out first))
                {
                    problems.Add($"'{file.Path}' collides with '{first}' (same file, or names differing only in case or in Unicode spelling)");
                    continue;
                }
                byName[relative] = relative;
                byReal[real] = relative;
                result.Add((file, relative, real));
            }
            catch (SpecSynthException ex) when (ex.Data[PathRules.ProblemKey] is string problem)
            {
                problems.Add(problem);
            }
        }
        problems.AddRange(FolderConflicts(result.Select(r => r.Relative)));
        if (problems.Count > 0)
        {
            throw Refusal(problems, files.Count);
        }
        return result;
    }

    private static IEnumerable<string> FolderConflicts(IEnumerable<string> relatives)
    {
        var all = new HashSet<string>(relatives, StringComparer.OrdinalIgnoreCase);
        foreach (var path in all)
        {
            for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                if (all.Contains(path[..slash]))
                {
                    yield return $"'{path[..slash]}' is both a file and the folder of '{path}'";
                }
            }
        }
    }

    private static SpecSynthException Refusal(List<string> problems, int total)
    {
        var sb = new StringBuilder($"Refusing to write {problems.Count} of {total} generated file(s); nothing was written:");
        foreach (var problem in problems.Take(20))
        {
            sb.Append("\n  - ").Append(problem);
        }
        if (problems.Count > 20)
        {
            sb.Append("\n  - ... and ").Append(problems.Count - 20).Append(" more");
        }
        return new SpecSynthException(ErrorKind.UnusableOutput, sb.ToString());
    }

    private PlannedFile Read(GeneratedFile file, string relative, string real)
    {
        CheckAncestorsAreFolders(relative, real);
        if (Directory.Exists(real))
        {
            throw PathRules.Refuse(relative, "a folder with that name already exists");
        }
        var newBytes = Encode(file.Content);
        byte[]? oldBytes;
        try
        {
            oldBytes = File.Exists(real) ? File.ReadAllBytes(real) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"Cannot read the existing file '{real}': {ex.Message}", ex);
        }
        var action = oldBytes is null ? FileAction.Created
            : oldBytes.AsSpan().SequenceEqual(newBytes) ? FileAction.Unchanged : FileAction.Modified;
        var oldText = oldBytes is null ? null : Utf8NoBom.GetString(oldBytes);
        return new PlannedFile(relative, real, file.Content, file.Language, action, oldText) { NewBytes = newBytes, OldBytes = oldBytes };
    }

    private void CheckAncestorsAreFolders(string relative, string real)
    {
        for (var dir = Path.GetDirectoryName(real); dir is not null && RealPath.IsInside(dir, RealRoot); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir))
            {
                throw PathRules.Refuse(relative, $"'{dir}' is a file, not a folder");
            }
            if (dir.Equals(RealRoot, RealPath.Comparison))
            {
                return;
            }
        }
    }
}
