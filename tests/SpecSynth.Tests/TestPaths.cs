namespace SpecSynth.Tests;

/// <summary>Locates the repository and the shared folder beside it, whatever the test's working directory.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The shared folder beside the repository (<c>../shared</c>).</summary>
    public static string Shared { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string RealSpecs => Path.Combine(Shared, "specs", "real");

    public static string Recorded => Path.Combine(Shared, "fixtures", "recorded");

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
