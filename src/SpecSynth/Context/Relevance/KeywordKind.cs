namespace SpecSynth.Context.Relevance;

/// <summary>Source keywords the scanner reacts to while it counts terms.</summary>
internal enum KeywordKind : byte
{
    /// <summary>Not a keyword.</summary>
    None,

    /// <summary><c>import</c>, <c>from</c>, <c>require</c>, <c>include</c>: a module reference may follow.</summary>
    Import,

    /// <summary><c>class</c>, <c>struct</c>, <c>interface</c>, <c>enum</c>, <c>record</c>, <c>trait</c>, <c>protocol</c>: a type name follows.</summary>
    TypeDeclaration,
}
