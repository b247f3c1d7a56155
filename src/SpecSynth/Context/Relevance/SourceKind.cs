namespace SpecSynth.Context.Relevance;

/// <summary>The few distinctions between source languages that scanning needs.</summary>
internal enum SourceKind : byte
{
    /// <summary>Any other text.</summary>
    Other,

    /// <summary>A C or C++ header (<c>.h</c>, <c>.hh</c>, <c>.hpp</c>, <c>.hxx</c>): prototypes ending in <c>;</c> declare.</summary>
    Header,

    /// <summary>Python: <c>from x import y</c> and <c>import x</c> name modules without quotes.</summary>
    Python,
}
