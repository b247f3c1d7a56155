namespace SpecSynth.Edits;

/// <summary>The files of one reply after its edits were applied in memory.</summary>
/// <param name="Files">The usable files: whole files and edited files with their final contents.</param>
/// <param name="Failures">The files that could not be used (never written).</param>
/// <param name="Outcomes">How each edited file applied (exact or fuzzy; refused ones are in <paramref name="Failures"/>).</param>
internal sealed record AppliedReply(IReadOnlyList<Parsing.GeneratedFile> Files, IReadOnlyList<EditFailure> Failures,
    IReadOnlyDictionary<string, EditOutcome> Outcomes)
{
    /// <summary>The number of edit blocks applied.</summary>
    public int Blocks { get; init; }
}
