namespace SpecSynth.Cli.Commands;

/// <summary>What <c>generate</c> does to check the model's files: <c>--check</c>, <c>--check-timeout</c>,
/// <c>--repair-rounds</c>, <c>--write-invalid</c>, <c>--self-review</c>.</summary>
internal sealed record VerifyOptions(string? CheckCommand, TimeSpan CheckTimeout, int RepairRounds, bool WriteInvalid, bool SelfReview);
