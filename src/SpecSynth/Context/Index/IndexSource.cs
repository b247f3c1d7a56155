namespace SpecSynth.Context.Index;

/// <summary>An entry of a segment to write: a fresh record (<paramref name="Blob"/>, a <see cref="FileRecord"/>) or
/// entry <paramref name="Old"/> of the segment <paramref name="From"/>.</summary>
/// <param name="Path">Relative path.</param>
/// <param name="Content">Known by its redacted text's hash.</param>
/// <param name="Signature">Its signature.</param>
/// <param name="Blob">Its fresh record, or <c>null</c>.</param>
/// <param name="From">The segment holding it, or <c>null</c>.</param>
/// <param name="Old">Its entry in <paramref name="From"/>.</param>
/// <param name="Id">The source its rows are known by in a <see cref="RowSpill"/> (then <paramref name="Blob"/> gives only
/// what the head keeps), or -1.</param>
internal sealed record IndexSource(string Path, bool Content, FileSignature Signature, byte[]? Blob, IndexFile? From, int Old, int Id = -1);
