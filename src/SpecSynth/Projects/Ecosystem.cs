namespace SpecSynth.Projects;

/// <summary>A build ecosystem recognised by its marker files.</summary>
/// <param name="Name">A stable name, e.g. <c>dotnet</c>.</param>
/// <param name="IsMarker">Whether a file name marks a project of this ecosystem.</param>
/// <param name="Inspect">Language and framework from the markers found (root ones first) and the whole tree.</param>
internal sealed record Ecosystem(
    string Name,
    Func<string, bool> IsMarker,
    Func<IReadOnlyList<Marker>, IReadOnlyList<string>, (string Language, string? Framework)> Inspect);
