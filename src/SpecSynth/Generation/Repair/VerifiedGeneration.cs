using SpecSynth.Parsing;

namespace SpecSynth.Generation.Repair;

/// <summary>A generation after validation, repair and (optionally) self-review.</summary>
/// <param name="Code">The generation, with the final files, the evidence-based confidence and all tokens used.</param>
/// <param name="Repair">Every round's validation and check results; <see cref="RepairResult.Valid"/> says how it ended.</param>
/// <param name="Review">The self-review of the final files against the spec's requirements, or <c>null</c>.</param>
internal sealed record VerifiedGeneration(GeneratedCode Code, RepairResult Repair, CodeReview? Review);
