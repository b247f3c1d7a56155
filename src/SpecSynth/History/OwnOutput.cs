using SpecSynth.Output;
using SpecSynth.Projects;

namespace SpecSynth.History;

/// <summary>
/// A spec's own earlier output, left out of its project context when it is generated again from scratch: the files its
/// latest conversation created that are still exactly as specsynth wrote them (the newest committed write journal entry
/// for the path matches the bytes on disk). So re-running <c>generate</c> over an unchanged spec and project sends the
/// same prompt as the first run (and is answered from the response cache), instead of feeding the spec its own output.
/// A file the user edited since, or one that existed before the spec first wrote it, stays in the context.
/// </summary>
internal static class OwnOutput
{
    /// <summary>The project context without <paramref name="conversation"/>'s unchanged own files (files, tree and walk entries).</summary>
    /// <param name="project">The scanned project.</param>
    /// <param name="conversation">The spec's latest conversation in this project, or <c>null</c>.</param>
    /// <param name="journal">Every recorded write run (<see cref="WriteJournal.ListAsync"/>), indexed once per run.</param>
    /// <returns>The context, or <paramref name="project"/> itself when nothing is left out.</returns>
    public static ProjectContext Exclude(ProjectContext project, Conversation? conversation, JournalLookup journal)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(journal);
        if (conversation is null || (project.Files.Count == 0 && project.Tree.Count == 0))
        {
            return project;
        }
        var outputRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(conversation.OutputRoot));
        var projectRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(project.Root));
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var relative in conversation.FilesWritten)
        {
            var entries = journal.Committed(outputRoot, relative);
            if (entries.Count == 0 || !entries.Any(f => f.Action == FileAction.Created))
            {
                continue;
            }
            var full = Path.GetFullPath(Path.Combine(outputRoot, relative));
            var inProject = Path.GetRelativePath(projectRoot, full).Replace('\\', '/');
            if (inProject.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(inProject)
                || !File.Exists(full) || WriteJournal.Sha256(File.ReadAllBytes(full)) != entries[0].Sha256)
            {
                continue;
            }
            excluded.Add(inProject);
        }
        return excluded.Count == 0 ? project : project with
        {
            Files = [.. project.Files.Where(f => !excluded.Contains(f.Path))],
            Tree = [.. project.Tree.Where(p => !excluded.Contains(p))],
            Entries = [.. project.Entries.Where(e => !excluded.Contains(e.RelativePath))],
        };
    }
}
