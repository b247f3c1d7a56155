namespace SpecSynth.Tests;

/// <summary>Locates the repository and the shared folder beside it, whatever the test's working directory.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The shared folder beside the repository (<c>../shared</c>); for a git worktree kept one level deeper
    /// (<c>wt/NAME</c>), the one beside its parent folder.</summary>
    public static string Shared { get; } = FindShared();

    public static string RealSpecs => Path.Combine(Shared, "specs", "real");

    public static string Recorded => Path.Combine(Shared, "fixtures", "recorded");

    public static string HandwrittenSpecs => Path.Combine(RepoRoot, "tests", "SpecSynth.Tests", "Specs", "Handwritten");

    private static string FindShared()
    {
        var beside = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
        var above = Path.GetFullPath(Path.Combine(RepoRoot, "..", "..", "shared"));
        return Directory.Exists(beside) || !Directory.Exists(above) ? beside : above;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "specsynth.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("specsynth.slnx not found above " + AppContext.BaseDirectory);
    }
}
