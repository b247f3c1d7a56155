namespace SpecSynth.Projects;

/// <summary>A marker file (e.g. <c>package.json</c>) and its text, empty when it could not be read.</summary>
internal sealed record Marker(string Path, string Content)
{
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];

    public string Folder => Path[..(Path.LastIndexOf('/') + 1)];
}
