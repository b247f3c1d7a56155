using Microsoft.Extensions.AI;
using SpecSynth.Output;
using SpecSynth.Projects;
using SpecSynth.Llm.Resilience;
using SpecSynth.Specs;
using SpecSynth.Usage;
using SpecSynth.Validation;

namespace SpecSynth.Llm;

/// <summary>
/// The seed's operations implemented once over any <see cref="IChatClient"/> (a provider pipeline or the mock).
/// Nothing here writes files: <see cref="GenerateCodeAsync"/> returns files whose paths are already confined to the
/// output folder, and fails as a whole when the reply is unusable. Thread-safe.
/// </summary>
public sealed class LlmCodeGenerator : ICodeGenerator
{
    private readonly IChatClient _client;
    private readonly PromptBuilder _prompts;
    private readonly string _provider;

    /// <summary>Creates a generator.</summary>
    /// <param name="client">The chat client (pipeline) to ask.</param>
    /// <param name="provider">The provider name reported in results (e.g. <c>claude</c>, <c>mock</c>).</param>
    /// <param name="prompts">The prompt builder; <c>null</c> uses the built-in templates.</param>
    public LlmCodeGenerator(IChatClient client, string provider, PromptBuilder? prompts = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        _client = client;
        _provider = provider;
        _prompts = prompts ?? new PromptBuilder(PromptTemplates.BuiltIn);
    }

    /// <inheritdoc />
    public async Task<GeneratedCode> GenerateCodeAsync(Specification spec, ProjectContext projectContext,
        GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(projectContext);
        options ??= GenerationOptions.Default;
        var prompt = Adjust(_prompts.BuildGenerate(spec, projectContext, options.SystemPrompt), options);
        // A prompt adjusted around earlier turns is a continuation of the spec's conversation (generate --continue).
        var operation = options.AdjustPrompt is null ? UsageOperations.Generate : UsageOperations.Continuation;
        var specLabel = options.Spec ?? spec.SourcePath ?? spec.Title;
        ModelReply reply;
        try
        {
            reply = await AskAsync(prompt, options, operation, specLabel, cancellationToken).ConfigureAwait(false);
        }
        catch (ContextTooLongException ex)
        {
            // Shrink once (fewer existing files, a shorter tree) and try again; a second refusal propagates.
            options.OnWarning?.Invoke($"{ex.Message}; retrying once with less project context");
            prompt = Adjust(_prompts.Shrunk().BuildGenerate(spec, projectContext, options.SystemPrompt), options);
            reply = await AskAsync(prompt, options, operation, specLabel, cancellationToken).ConfigureAwait(false);
        }
        var parsed = ResponseParser.Parse(reply.Text);
        var incomplete = parsed.Files.Where(f => !f.IsComplete).ToList();
        if (incomplete.Count > 0)
        {
            throw new SpecSynthException(ErrorKind.UnusableOutput,
                $"The reply was cut off (stop reason '{reply.StopReason}') inside {string.Join(", ", incomplete.Select(f => f.Path))}; " +
                "nothing was written. Raise max_tokens for this provider or split the specification.");
        }
        if (parsed.Files.Count == 0)
        {
            throw new SpecSynthException(ErrorKind.UnusableOutput,
                $"The reply contained no file with a path (stop reason '{reply.StopReason}'); nothing was written. " +
                (parsed.Warnings.Count > 0 ? "Parser: " + string.Join("; ", parsed.Warnings) : "The model answered only in prose."));
        }
        var root = Path.GetFullPath(options.OutputRoot ?? projectContext.Root);
        var files = parsed.Files
            .Select(f => new GeneratedFile(PathGuard.Confine(root, f.Path), f.Content, f.Language))
            .ToList();
        var score = ConfidenceModel.Compute(new ConfidenceEvidence
        {
            StopReason = reply.StopReason,
            Files = files.Count,
            ParserWarnings = parsed.Warnings.Count,
            SyntaxUnvalidated = files.Count,
        });
        return new GeneratedCode
        {
            Files = files,
            Explanation = parsed.Explanation,
            Confidence = score.Value,
            ConfidenceEvidence = score.Evidence,
            ParserWarnings = parsed.Warnings,
            TokensUsed = reply.Usage,
            Provider = reply.Provider ?? _provider,
            SkippedProviders = reply.Skipped,
            Model = reply.ModelId ?? options.ModelId ?? "",
            StopReason = reply.StopReason,
            RawResponse = reply.Text,
            Prompt = prompt,
            CacheHit = reply.CacheHit,
        };
    }

    /// <inheritdoc />
    public async Task<Explanation> ExplainImplementationAsync(string code, Specification? spec,
        GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        options ??= GenerationOptions.Default;
        var reply = await AskAsync(_prompts.BuildExplain(code, spec, options.SystemPrompt), options, UsageOperations.Explain,
            options.Spec ?? spec?.SourcePath ?? spec?.Title, cancellationToken).ConfigureAwait(false);
        return new Explanation(reply.Text.Trim(), reply.Usage, reply.StopReason)
        {
            Provider = reply.Provider ?? _provider,
            Model = reply.ModelId ?? options.ModelId ?? "",
            CacheHit = reply.CacheHit,
        };
    }

    /// <inheritdoc />
    public async Task<CodeReview> ReviewCodeAsync(string code, IReadOnlyList<Requirement> requirements,
        GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(requirements);
        options ??= GenerationOptions.Default;
        var reply = await AskAsync(_prompts.BuildReview(code, requirements, options.SystemPrompt), options, UsageOperations.Review,
            options.Spec, cancellationToken).ConfigureAwait(false);
        return ReviewParser.Parse(reply.Text, requirements) with
        {
            TokensUsed = reply.Usage,
            Provider = reply.Provider ?? _provider,
            Model = reply.ModelId ?? options.ModelId ?? "",
            CacheHit = reply.CacheHit,
        };
    }

    private static ChatPrompt Adjust(ChatPrompt prompt, GenerationOptions options) =>
        options.AdjustPrompt is { } adjust ? adjust(prompt) : prompt;

    private Task<ModelReply> AskAsync(ChatPrompt prompt, GenerationOptions options, string operation, string? spec,
        CancellationToken cancellationToken)
    {
        var chatOptions = UsageOperations.Tag(new ChatOptions
        {
            ModelId = options.ModelId,
            MaxOutputTokens = options.MaxOutputTokens,
            Temperature = options.Temperature,
        }, operation, spec);
        return ModelReply.GetAsync(_client, prompt, chatOptions, options.Stream, options.Progress, cancellationToken);
    }
}
