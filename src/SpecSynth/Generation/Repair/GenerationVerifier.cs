using Microsoft.Extensions.AI;
using SpecSynth.Parsing;
using SpecSynth.Prompting;
using SpecSynth.Specs;
using SpecSynth.Validation;

namespace SpecSynth.Generation.Repair;

/// <summary>
/// Checks what the model wrote before anything is written: validates every file, runs the user's <c>--check</c>
/// command when given, sends failures back to the model for a bounded number of repair rounds (keeping the
/// conversation), optionally reviews the result against the spec's requirements, and recomputes the confidence
/// from all of that evidence (<see cref="ConfidenceModel"/>). Writes nothing and runs no generated code unless a
/// check command is given.
/// </summary>
internal sealed class GenerationVerifier(IChatClient client, CodeValidator validator, RepairOptions options, CheckCommandRunner? checkRunner = null)
{
    /// <summary>Verifies and repairs <paramref name="code"/>, which <paramref name="prompt"/> produced.</summary>
    /// <param name="prompt">The prompt of the generation (the repair conversation continues it).</param>
    /// <param name="code">The generation.</param>
    /// <param name="spec">The specification, whose requirements the self-review checks.</param>
    /// <param name="outputRoot">The output folder (paths are confined to it; the check runs on a copy of it).</param>
    /// <param name="selfReview">Whether to ask the model to review the final files against the requirements.</param>
    /// <param name="cancellationToken">Cancels everything, including a running check.</param>
    public async Task<VerifiedGeneration> VerifyAsync(ChatPrompt prompt, GeneratedCode code, Specification spec, string outputRoot,
        bool selfReview, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(spec);
        var repair = await new RepairLoop(client, validator, options, checkRunner)
            .RunAsync(prompt, code, outputRoot, cancellationToken).ConfigureAwait(false);
        CodeReview? review = null;
        if (selfReview && repair.Valid)
        {
            options.Progress?.Reviewing();
            var files = PromptBuilder.FormatCode(repair.Files.Select(f => (f.Path, f.Content)));
            review = await new LlmCodeGenerator(client, code.Provider)
                .ReviewCodeAsync(files, spec.Requirements, options.Generation, cancellationToken).ConfigureAwait(false);
        }
        var evidence = new ConfidenceEvidence
        {
            StopReason = code.StopReason,
            ParserWarnings = code.ParserWarnings.Count,
            Review = review is null ? null : ReviewCounts.From(review),
        }.WithRepair(repair.Validation, repair.Check, repair.RoundsUsed, repair.Files.Count);
        var score = ConfidenceModel.Compute(evidence);
        var verified = code with
        {
            Files = repair.Files,
            Confidence = score.Value,
            ConfidenceEvidence = score.Evidence,
            TokensUsed = code.TokensUsed + repair.Usage + (review?.TokensUsed ?? TokenUsage.Zero),
        };
        return new VerifiedGeneration(verified, repair, review);
    }
}
