namespace SpecSynth.History;

/// <summary>How conversations are keyed: the project's full path (links resolved, no trailing separator) and the
/// spec's path relative to it with '/' separators, so <c>./specs/a.md</c> and <c>specs/a.md</c> are one spec.</summary>
internal static class ProjectKey
{
    /// <summary>The normalised full path of a project folder.</summary>
    public static string Project(string projectDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectDir);
        var full = Path.GetFullPath(projectDir);
        try
        {
            full = Output.RealPath.Resolve(full);
        }
        catch (IOException)
        {
            // A link loop: keep the path as given; the project scan reports the problem.
        }
        return Path.TrimEndingDirectorySeparator(full);
    }

    /// <summary>The spec's path relative to the (normalised) project, '/'-separated.</summary>
    public static string Spec(string project, string specFullPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(project);
        ArgumentException.ThrowIfNullOrWhiteSpace(specFullPath);
        var spec = Path.GetFullPath(specFullPath);
        try
        {
            spec = Output.RealPath.Resolve(spec);
        }
        catch (IOException)
        {
            // As above: keep the path as given.
        }
        return Path.GetRelativePath(project, spec).Replace(Path.DirectorySeparatorChar, '/');
    }
}
