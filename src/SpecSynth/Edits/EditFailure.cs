namespace SpecSynth.Edits;

/// <summary>A file a reply changed that could not be used: its edits did not apply, or its whole text elides code.</summary>
/// <param name="Path">The confined path.</param>
/// <param name="Problems">One message per problem (which block, the nearest real lines).</param>
internal sealed record EditFailure(string Path, IReadOnlyList<string> Problems);
