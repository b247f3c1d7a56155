using SpecSynth.Output;
using SpecSynth.Projects;

namespace SpecSynth.History;

/// <summary>
/// The files a spec touches that the user changed since specsynth last wrote them: the files its latest conversation
/// wrote to this output folder whose bytes now differ from what the write journal recorded. They are sent to the model
/// whole (before every ranked file), so the next run builds on the user's edit instead of silently reverting it.
/// </summary>
internal static class LocalEdits
{
    /// <summary>The edited files, as shown in the prompt: project-relative when inside the project, else output-relative;
    /// their contents read as project files are (text only, secret values redacted; secret files never read).</summary>
    /// <param name="project">The scanned project context.</param>
    /// <param name="conversation">The spec's latest conversation in this project, or <c>null</c>.</param>
    /// <param name="outputRoot">The output folder of this run.</param>
    /// <param name="journal">Every recorded write run, indexed once per run.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<IReadOnlyList<(string Path, string Content)>> FindAsync(ProjectContext project, Conversation? conversation,
        string outputRoot, JournalLookup journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(journal);
        var root = PathGuard.FullRoot(outputRoot);
        if (conversation is null || !string.Equals(PathGuard.FullRoot(conversation.OutputRoot), root, RealPath.Comparison))
        {
            return [];
        }
        var written = journal.Written(root);
        var projectRoot = PathGuard.FullRoot(project.Root);
        Dictionary<string, ProjectFile>? scanned = null;
        var result = new List<(string, string)>();
        foreach (var relative in conversation.FilesWritten)
        {
            var full = Path.GetFullPath(Path.Combine(root, relative));
            if (SecretFiles.IsSecret(relative) || !written.Contains(relative) || !File.Exists(full))
            {
                continue;
            }
            var info = new FileInfo(full);
            if (info.Attributes.HasFlag(FileAttributes.ReparsePoint) || info.Length > Context.ContextPlanner.MaxReadBytes
                || !written.Edited(relative, await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false)))
            {
                continue;
            }
            var inProject = Path.GetRelativePath(projectRoot, full).Replace('\\', '/');
            var inside = !(inProject.StartsWith("../", StringComparison.Ordinal) || inProject == ".." || Path.IsPathRooted(inProject));
            var shown = inside ? inProject : relative;
            scanned ??= project.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
            if (inside && scanned.TryGetValue(shown, out var file))
            {
                result.Add((shown, file.Content));
            }
            else if (await ProjectFileReader.ReadAsync(new WalkEntry(shown, full, info.Length, false), Context.ContextPlanner.MaxReadBytes, cancellationToken)
                .ConfigureAwait(false) is { } read)
            {
                result.Add((shown, read.File.Content));
            }
        }
        return result;
    }
}
