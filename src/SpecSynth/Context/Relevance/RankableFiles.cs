using SpecSynth.Projects;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// The files of a project the ranker may rank: the walk's entries (or the tree and the read files when the context was
/// built by hand), without secret files, links and files the scanner skips by name. They depend on the project alone, not
/// on the spec, so a caller can work them out while the spec is still being parsed (issue 19: a warm <c>context</c> run
/// parses the spec beside the walk, and whichever ends first can do its half of the ranking's set-up). Immutable.
/// </summary>
internal sealed class RankableFiles
{
    private RankableFiles(ProjectContext project, List<Candidate> candidates)
    {
        Project = project;
        Candidates = candidates;
    }

    /// <summary>The project the files are of.</summary>
    public ProjectContext Project { get; }

    /// <summary>The files, in the walk's (ordinal path) order.</summary>
    internal List<Candidate> Candidates { get; }

    /// <summary>The rankable files of <paramref name="project"/>.</summary>
    public static RankableFiles Of(ProjectContext project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return new RankableFiles(project, List(project));
    }

    private static List<Candidate> List(ProjectContext project)
    {
        var contents = project.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var list = new List<Candidate>();
        if (project.Entries.Count > 0)
        {
            foreach (var entry in project.Entries)
            {
                if (!entry.IsSymlink && Rankable(entry.RelativePath))
                {
                    list.Add(new Candidate(entry.RelativePath, entry.FullPath, entry.Bytes, contents.GetValueOrDefault(entry.RelativePath)?.Content) { Signature = entry.Signature });
                }
            }
            return list;
        }
        var paths = project.Tree.Concat(project.Files.Select(f => f.Path)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (!Rankable(path))
            {
                continue;
            }
            if (contents.TryGetValue(path, out var file))
            {
                list.Add(new Candidate(path, Path.Combine(project.Root, path), file.Bytes, file.Content));
                continue;
            }
            var info = new FileInfo(Path.Combine(project.Root, path));
            if (info.Exists && (info.Attributes & FileAttributes.ReparsePoint) == 0)
            {
                list.Add(new Candidate(path, info.FullName, info.Length, null));
            }
        }
        return list;
    }

    private static bool Rankable(string path) => !SecretFiles.IsSecret(path) && !SkippedFiles.SkipByName(path);
}
