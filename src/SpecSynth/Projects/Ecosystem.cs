namespace SpecSynth.Projects;

/// <summary>A build ecosystem recognised by its marker files.</summary>
/// <param name="Name">A stable name, e.g. <c>dotnet</c>.</param>
/// <param name="MarkerNames">File names (compared ordinally) that mark a project of this ecosystem.</param>
/// <param name="MarkerExtensions">Name endings (compared ignoring case) that mark a project of this ecosystem.</param>
/// <param name="Inspect">Language and framework from the markers found (root ones first) and the whole tree.</param>
internal sealed record Ecosystem(
    string Name,
    string[] MarkerNames,
    string[] MarkerExtensions,
    Func<IReadOnlyList<Marker>, IReadOnlyList<string>, (string Language, string? Framework)> Inspect)
{
    /// <summary>Whether a file name marks a project of this ecosystem.</summary>
    public bool IsMarker(ReadOnlySpan<char> name)
    {
        foreach (var marker in MarkerNames)
        {
            if (name.SequenceEqual(marker))
            {
                return true;
            }
        }
        foreach (var extension in MarkerExtensions)
        {
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
