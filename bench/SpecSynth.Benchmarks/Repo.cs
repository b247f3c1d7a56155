namespace SpecSynth.Benchmarks;

/// <summary>Finds the repository root (the folder holding specsynth.slnx) above the working folder or the binary.</summary>
internal static class Repo
{
    public static string Root { get; } = Find(Environment.CurrentDirectory) ?? Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Run from inside the specsynth repository.");

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "specsynth.slnx")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
