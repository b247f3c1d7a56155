namespace SpecSynth.Context.Relevance;

/// <summary>What scanning one file's content found (only files where something was found get one).</summary>
internal sealed class FileSignals
{
    /// <summary>Query term ids that occur in the file, with their counts (term frequency).</summary>
    public required (int Term, int Count)[] Terms { get; init; }

    /// <summary>Ids of the spec identifiers the file declares.</summary>
    public int[] Declares { get; init; } = [];

    /// <summary>Endpoint ids with a route literal in the file; <c>WithMethod</c> when the method is on the same line.</summary>
    public (int Endpoint, bool WithMethod)[] Routes { get; init; } = [];

    /// <summary>Module references as written (<c>./store</c>, <c>node.h</c>, <c>&lt;uv.h</c> for a system include,
    /// <c>py:.models</c> for a Python module).</summary>
    public string[] Imports { get; init; } = [];

    /// <summary>The types the file declares (after <c>class</c>, <c>struct</c>, <c>interface</c>, ...), as the hashes of
    /// their names (<see cref="ContentScanner.TypeHash"/>): the context index keeps no names.</summary>
    public ulong[] Types { get; init; } = [];

    /// <summary>Whether nothing was found.</summary>
    public bool IsEmpty => Terms.Length == 0 && Declares.Length == 0 && Routes.Length == 0 && Imports.Length == 0 && Types.Length == 0;
}
