using SpecSynth.Output;
using SpecSynth.Parsing;
using SpecSynth.Projects;

namespace SpecSynth.Edits;

/// <summary>
/// Turns a parsed reply into final file contents, all in memory: whole files as they are (unless they elide code of an
/// existing file), edits applied with <see cref="EditApplier"/> to the file as the reply left it, else as the earlier
/// rounds left it, else as it is on disk (the output folder, then the project folder). A file on disk that no longer is
/// what the prompt showed refuses its edits. Paths are confined to the output folder; nothing is written.
/// </summary>
internal static class ReplyApplier
{
    /// <summary>Applies <paramref name="parsed"/>.</summary>
    /// <param name="parsed">The reply (complete blocks only are used; incomplete ones are the caller's concern).</param>
    /// <param name="context">Where current files are read from and what the prompt showed.</param>
    /// <param name="current">The files earlier rounds produced (a repair round edits them), by confined path.</param>
    /// <param name="notes">Receives unsafe paths that were ignored.</param>
    public static AppliedReply Apply(ParsedResponse parsed, EditContext context, IReadOnlyList<GeneratedFile> current, List<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(current);
        var files = new List<GeneratedFile>();
        var failures = new List<EditFailure>();
        var outcomes = new Dictionary<string, EditOutcome>(StringComparer.Ordinal);
        var earlier = current.GroupBy(f => f.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Content, StringComparer.Ordinal);
        var blocks = 0;
        foreach (var block in parsed.Files.Where(f => f.IsComplete))
        {
            if (Confine(context, block.Path, notes) is not { } path)
            {
                continue;
            }
            var existing = earlier.TryGetValue(path, out var e) ? e : Disk(context, path)?.Content;
            if (existing is not null && Elisions.Find(path, block.Content) is { } elision)
            {
                failures.Add(new EditFailure(path, [$"{path} was sent whole but leaves code out at line {elision.Line} ('{elision.Text}'); " +
                    "it was not used. Send the complete file, or SEARCH/REPLACE blocks for the parts that change"]));
                continue;
            }
            files.Add(new GeneratedFile(path, block.Content, block.Language));
        }
        foreach (var edits in parsed.Edits.Where(f => f.IsComplete))
        {
            if (Confine(context, edits.Path, notes) is not { } path)
            {
                continue;
            }
            blocks += edits.Blocks.Count;
            string? original;
            var index = files.FindIndex(f => f.Path == path);
            if (index >= 0)
            {
                original = files[index].Content;
            }
            else if (earlier.TryGetValue(path, out var before))
            {
                original = before;
            }
            else if (failures.Any(f => f.Path == path))
            {
                continue;
            }
            else
            {
                var disk = Disk(context, path);
                if (disk is { } d && Changed(context, path, d.Content) is { } changed)
                {
                    failures.Add(new EditFailure(path, [changed]));
                    continue;
                }
                original = disk?.Content;
            }
            var result = EditApplier.Apply(path, original, edits.Blocks);
            if (result.Content is null)
            {
                failures.Add(new EditFailure(path, result.Problems));
                continue;
            }
            var file = new GeneratedFile(path, result.Content, Languages.FromPath(path));
            if (index >= 0) { files[index] = file; } else { files.Add(file); }
            outcomes[path] = outcomes.TryGetValue(path, out var o) && o == EditOutcome.Fuzzy ? o : result.Outcome;
        }
        return new AppliedReply(files, failures, outcomes) { Blocks = blocks };
    }

    private static string? Confine(EditContext context, string path, List<string>? notes)
    {
        try
        {
            if (context.RealOutputRoot is not { } realRoot)
            {
                return PathGuard.Confine(context.OutputRoot, path);
            }
            return PathGuard.ConfineCore(PathGuard.FullRoot(context.OutputRoot), realRoot, path).Relative;
        }
        catch (SpecSynthException ex) when (ex.Kind == ErrorKind.UnusableOutput)
        {
            if (notes is null)
            {
                throw;
            }
            notes.Add($"'{path}' was ignored: {ex.Message}");
            return null;
        }
    }

    /// <summary>The file as it is on disk now: in the output folder, else in the project folder; <c>null</c> when in neither.</summary>
    internal static (string Content, bool InOutput)? Disk(EditContext context, string path)
    {
        foreach (var (root, inOutput) in new[] { (context.OutputRoot, true), (context.ProjectRoot, false) })
        {
            if (root is null)
            {
                continue;
            }
            var full = Path.Combine(root, path);
            if (File.Exists(full))
            {
                return (File.ReadAllText(full), inOutput);
            }
        }
        return null;
    }

    /// <summary>Why a file's edits cannot be trusted: it is not what the prompt showed any more; <c>null</c> when it is.</summary>
    private static string? Changed(EditContext context, string path, string disk)
    {
        if (!context.Sent.TryGetValue(path, out var sent))
        {
            return null;
        }
        var now = Normalise(SecretRedactor.Redact(disk, path, out _));
        if (now == Normalise(sent))
        {
            return null;
        }
        return $"{path} changed on disk since the prompt was built (it now has {EditApplier.SplitLines(now).Count} lines, the prompt showed " +
            $"{EditApplier.SplitLines(Normalise(sent)).Count}); its edits were not applied. Send the file whole, or edits against the current lines";
    }

    private static string Normalise(string text) => text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
}
