using Microsoft.Extensions.AI;
using SpecSynth.Parsing;
using SpecSynth.Prompting;
using SpecSynth.Output;
using SpecSynth.Validation;

namespace SpecSynth.Generation.Repair;

/// <summary>
/// Validates generated files and, while a file is invalid or the check command fails, asks the model again for
/// corrected files, for at most <see cref="RepairOptions.MaxRounds"/> rounds. Each request continues the
/// conversation: the original prompt, then for each round the previous assistant reply and a repair request
/// listing the diagnostics per file (and the failed check's output), asking for complete files in the same
/// <c>// filepath:</c> format. Files a repair reply resends replace the earlier version; files it does not resend
/// are kept. Paths are confined to the output folder with <see cref="PathGuard"/>; an incomplete or unsafe file in a
/// repair reply is ignored (noted in the round) and the earlier version kept. Nothing is written to the output folder.
/// </summary>
/// <param name="client">The chat client (the same pipeline that generated the files).</param>
/// <param name="validator">The syntax validator.</param>
/// <param name="options">Rounds, check command and chat options; <c>null</c> uses <see cref="RepairOptions.Default"/>.</param>
/// <param name="checkRunner">Runs <see cref="RepairOptions.CheckCommand"/>; <c>null</c> creates one on the validator's clock.</param>
internal sealed class RepairLoop(IChatClient client, CodeValidator validator, RepairOptions? options = null, CheckCommandRunner? checkRunner = null)
{
    private readonly RepairOptions _options = options ?? RepairOptions.Default;
    private readonly CheckCommandRunner _checks = checkRunner ?? new CheckCommandRunner(validator.Time);

    /// <summary>Validates (and checks) <paramref name="files"/>, then repairs them while they fail and rounds remain.</summary>
    /// <param name="prompt">The prompt that produced <paramref name="firstReply"/>.</param>
    /// <param name="firstReply">The model's reply text the files were parsed from.</param>
    /// <param name="files">The files parsed from it, paths already confined.</param>
    /// <param name="outputRoot">The output (project) folder: paths are confined to it and the check copies it.</param>
    /// <param name="cancellationToken">Stops the loop, a running request, checker or check.</param>
    /// <returns>The final files, every round's diagnostics, and whether the last round is clean.</returns>
    /// <exception cref="SpecSynthException">The check's project folder cannot be copied, or the provider failed.</exception>
    public Task<RepairResult> RunAsync(ChatPrompt prompt, string firstReply, IReadOnlyList<GeneratedFile> files, string outputRoot,
        CancellationToken cancellationToken = default) =>
        RunAsync(prompt, firstReply, files, [], null, outputRoot, cancellationToken);

    /// <summary>Validates (and checks) <paramref name="files"/> and the reply's unusable files (<paramref name="failures"/>: edits
    /// that did not apply, elided whole files), then repairs them while they fail and rounds remain. Repair replies may send
    /// whole files or edits; edits apply to the files as the earlier rounds left them, else as on disk.</summary>
    /// <param name="prompt">The prompt that produced <paramref name="firstReply"/>.</param>
    /// <param name="firstReply">The model's reply text.</param>
    /// <param name="files">The usable files of the reply, paths already confined.</param>
    /// <param name="failures">The files of the reply that could not be used.</param>
    /// <param name="edits">What edits apply against; <c>null</c>: the output folder alone.</param>
    /// <param name="outputRoot">The output (project) folder.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    public async Task<RepairResult> RunAsync(ChatPrompt prompt, string firstReply, IReadOnlyList<GeneratedFile> files,
        IReadOnlyList<Edits.EditFailure> failures, Edits.EditContext? edits, string outputRoot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(firstReply);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        ArgumentNullException.ThrowIfNull(failures);
        var root = Path.GetFullPath(outputRoot);
        var context = edits ?? Edits.EditContext.For(root);
        var current = files.ToList();
        var failed = failures.ToList();
        var rounds = new List<RepairRound>
        {
            await EvaluateAsync(0, current, failed, root, [], [], null, TokenUsage.Zero, cancellationToken).ConfigureAwait(false),
        };
        var messages = new List<ChatMessage>(prompt.Messages) { new(ChatRole.Assistant, firstReply) };
        var checkConfigured = _options.CheckCommand is not null;
        while (!rounds[^1].IsClean(checkConfigured) && rounds.Count <= _options.MaxRounds)
        {
            var errors = rounds[^1].Validation.Sum(v => v.Diagnostics.Count(d => d.Severity == Diagnostic.Error));
            _options.Progress?.Repairing(rounds.Count, _options.MaxRounds, errors, rounds[^1].Check is { Passed: false });
            using var round = Stage("specsynth.repair").Tag("specsynth.repair.round", rounds.Count).Tag("specsynth.errors", errors);
            Telemetry.Log.RepairRound(_options.Logger, rounds.Count, _options.MaxRounds, errors, rounds[^1].Check is { Passed: false });
            messages.Add(new ChatMessage(ChatRole.User, RepairPrompt.Build(rounds[^1].Validation, rounds[^1].Check, _options.MaxCheckOutputInPrompt)));
            var reply = await AskAsync(new ChatPrompt([.. messages], prompt.TemplateVersion), cancellationToken).ConfigureAwait(false);
            messages.Add(new ChatMessage(ChatRole.Assistant, reply.Text));
            var notes = new List<string>();
            var resent = Merge(current, failed, reply, context, notes);
            rounds.Add(await EvaluateAsync(rounds.Count, current, failed, root, resent, notes, reply.StopReason, reply.Usage, cancellationToken)
                .ConfigureAwait(false));
        }
        return new RepairResult(current, rounds, rounds[^1].IsClean(checkConfigured));
    }

    /// <summary>Same as the other overload, with the files and reply text of a <see cref="GeneratedCode"/>.</summary>
    /// <param name="prompt">The prompt that produced <paramref name="code"/>.</param>
    /// <param name="code">The generation result (its <see cref="GeneratedCode.RawResponse"/> and files).</param>
    /// <param name="outputRoot">The output (project) folder.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    public Task<RepairResult> RunAsync(ChatPrompt prompt, GeneratedCode code, string outputRoot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        return RunAsync(prompt, code.RawResponse, code.Files, code.EditFailures, code.EditContext, outputRoot, cancellationToken);
    }

    private async Task<RepairRound> EvaluateAsync(int number, List<GeneratedFile> files, List<Edits.EditFailure> failed, string root,
        IReadOnlyList<string> resent, List<string> notes, string? stopReason, TokenUsage usage, CancellationToken cancellationToken)
    {
        var progress = _options.Progress;
        progress?.Validating(number, files.Count + failed.Count);
        IReadOnlyList<FileValidation> validation;
        using (var validate = Stage("specsynth.validate").Tag("specsynth.files", files.Count + failed.Count))
        {
            validation = (await validator.ValidateAsync(files, cancellationToken).ConfigureAwait(false))
                .Concat(failed.Select(f => new FileValidation(f.Path, ValidationStatus.Invalid, EditValidator,
                    [.. f.Problems.Select(p => new Diagnostic(f.Path, 0, 0, p, Diagnostic.Error))])))
                .ToList();
            var errors = validation.Sum(v => v.Diagnostics.Count(d => d.Severity == Diagnostic.Error));
            validate.Tag("specsynth.errors", errors);
            Telemetry.Log.Validated(_options.Logger, number, files.Count, errors);
        }
        CheckResult? check = null;
        if (_options.CheckCommand is { } command)
        {
            if (validation.Any(v => v.Status == ValidationStatus.Invalid))
            {
                notes.Add("the check command was not run: files have syntax errors");
            }
            else
            {
                progress?.CheckStarted(number, command);
                var checkOptions = progress is null ? _options.Check : _options.Check with { OnOutputLine = progress.CheckOutput };
                using (var stage = Stage("specsynth.check"))
                {
                    check = await _checks.RunAsync(root, files, command, checkOptions, cancellationToken).ConfigureAwait(false);
                    stage.Tag("specsynth.check.passed", check.Passed).Tag("process.exit.code", check.ExitCode);
                    Telemetry.Log.Checked(_options.Logger, Projects.SecretRedactor.Redact(command),
                        check.Passed ? "passed" : check.TimedOut ? "timed out" : "failed", check.ExitCode);
                }
                progress?.CheckFinished(check);
            }
        }
        return new RepairRound(number, validation, check, resent, notes, stopReason, usage);
    }

    /// <summary>A stage of the loop (span and Debug logs under <c>SpecSynth.Validation</c>).</summary>
    private Telemetry.Stage Stage(string name) =>
        Telemetry.Stage.Begin(name, _options.Logger, validator.Time);

    private Task<ModelReply> AskAsync(ChatPrompt prompt, CancellationToken cancellationToken)
    {
        var generation = _options.Generation;
        var chatOptions = Usage.UsageOperations.Tag(new ChatOptions
        {
            ModelId = generation.ModelId,
            MaxOutputTokens = generation.MaxOutputTokens,
            Temperature = generation.Temperature,
        }, Usage.UsageOperations.Repair, generation.Spec);
        return ModelReply.GetAsync(client, prompt, chatOptions, generation.Stream, generation.Progress, cancellationToken);
    }

    /// <summary>The validator name of a file whose edits did not apply (or whose whole text elides code).</summary>
    public const string EditValidator = "edits";

    /// <summary>Applies the complete, safe files and edits of <paramref name="reply"/> to <paramref name="current"/> (edits against the
    /// files as they are now); a file that could not be used stays or becomes failed, a file that now applies is no longer failed.
    /// Returns the paths the reply sent.</summary>
    private static List<string> Merge(List<GeneratedFile> current, List<Edits.EditFailure> failed, ModelReply reply, Edits.EditContext context,
        List<string> notes)
    {
        var parsed = ResponseParser.Parse(reply.Text);
        foreach (var block in parsed.Files.Where(f => !f.IsComplete))
        {
            notes.Add($"'{block.Path}' was cut off (stop reason '{reply.StopReason}'); the earlier version is kept");
        }
        foreach (var edits in parsed.Edits.Where(f => !f.IsComplete))
        {
            notes.Add($"the edits of '{edits.Path}' were cut off (stop reason '{reply.StopReason}'); the earlier version is kept");
        }
        // Edits in a repair round apply to the files as this run has them now, not to the prompt's snapshot: the model saw its own reply.
        var applied = Edits.ReplyApplier.Apply(parsed, context with { Sent = new Dictionary<string, string>(StringComparer.Ordinal) }, current, notes);
        var resent = new List<string>();
        foreach (var file in applied.Files)
        {
            var index = current.FindIndex(f => f.Path == file.Path);
            if (index >= 0) { current[index] = file; } else { current.Add(file); }
            failed.RemoveAll(f => f.Path == file.Path);
            resent.Add(file.Path);
        }
        foreach (var failure in applied.Failures)
        {
            failed.RemoveAll(f => f.Path == failure.Path);
            failed.Add(failure);
            resent.Add(failure.Path);
        }
        if (parsed.Files.Count == 0 && parsed.Edits.Count == 0)
        {
            notes.Add("the repair reply contained no file with a path");
        }
        return resent;
    }
}
