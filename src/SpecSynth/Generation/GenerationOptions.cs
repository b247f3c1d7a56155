using SpecSynth.Prompting;

namespace SpecSynth.Generation;

/// <summary>Per-call options for <see cref="ICodeGenerator"/>. Immutable; safe to share.</summary>
internal sealed record GenerationOptions
{
    /// <summary>Default options.</summary>
    public static GenerationOptions Default { get; } = new();

    /// <summary>The model id to ask for; <c>null</c> uses the client's default.</summary>
    public string? ModelId { get; init; }

    /// <summary>Maximum output tokens; <c>null</c> (the default) lets each provider use its configured maximum.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Sampling temperature; <c>null</c> (the default) sends none.</summary>
    public float? Temperature { get; init; }

    /// <summary>A system prompt replacing the template's, or <c>null</c>.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Stream the reply (progress is reported through <see cref="Progress"/>). Default true.</summary>
    public bool Stream { get; init; } = true;

    /// <summary>Receives each streamed text delta as it arrives; <c>null</c> for none.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>The output folder generated paths are confined to; <c>null</c> uses the project root.</summary>
    public string? OutputRoot { get; init; }

    /// <summary><see cref="OutputRoot"/> with its links resolved, as a run of many specs resolved it once
    /// (<see cref="Output.PathGuard.RealRoot"/>); <c>null</c> resolves it for the call. Only the reference generated paths
    /// must stay inside: each path is still resolved from the file system root.</summary>
    public string? RealOutputRoot { get; init; }

    /// <summary>Receives warnings about the call (e.g. the context was shrunk to fit); <c>null</c> for none.</summary>
    public Action<string>? OnWarning { get; init; }

    /// <summary>Told once the generate prompt is planned, before its request is sent (prompt tokens, files whole, outlines,
    /// time taken); <c>null</c> for none.</summary>
    public Action<int, int, int, TimeSpan>? OnPlanned { get; init; }

    /// <summary>Applied to each generate prompt before it is sent (a continuation puts the earlier turns of its
    /// conversation and the new instruction around it); <c>null</c> sends the prompt as built.</summary>
    public Func<ChatPrompt, ChatPrompt>? AdjustPrompt { get; init; }

    /// <summary>The files earlier turns of the conversation wrote, as they are on disk now (path relative to the output
    /// folder, content): "previous implementations" for the context planner. Empty for a new conversation.</summary>
    public IReadOnlyList<(string Path, string Content)> PreviousImplementations { get; init; } = [];

    /// <summary>Files the spec touches that the user changed since specsynth last wrote them (path as shown, current
    /// content): sent whole before every ranked file.</summary>
    public IReadOnlyList<(string Path, string Content)> LocalEdits { get; init; } = [];

    /// <summary>The spec the call is about (its path, else its title), recorded in the usage ledger and audit log;
    /// <c>null</c> lets the generator name the spec it is given (or none).</summary>
    public string? Spec { get; init; }

    /// <summary>Count prompts with the provider's token-counting endpoint (Anthropic <c>count_tokens</c>) instead of the
    /// local estimate (<c>--exact-tokens</c>); providers with an exact local tokenizer (OpenAI) ignore it.</summary>
    public bool ExactTokens { get; init; }

    /// <summary>When the generate prompt asks for SEARCH/REPLACE edits instead of whole files (<c>[edits]</c>, <c>--edit-format</c>).</summary>
    public Edits.EditPolicy Edits { get; init; } = global::SpecSynth.Edits.EditPolicy.Default;
}
