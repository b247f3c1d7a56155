namespace SpecSynth;

/// <summary><c>specsynth context SPEC.md</c>: plan the generate prompt as <c>generate</c> would, without calling a model.</summary>
public sealed record ContextRequest
{
    /// <summary>The spec file.</summary>
    public required string SpecPath { get; init; }

    /// <summary><c>--project</c>.</summary>
    public string? ProjectRoot { get; init; }

    /// <summary><c>--out</c>: the output folder generate would write to.</summary>
    public string? OutputRoot { get; init; }

    /// <summary><c>--provider</c>.</summary>
    public string? Providers { get; init; }

    /// <summary><c>--model</c>.</summary>
    public string? Model { get; init; }

    /// <summary><c>--budget</c>: tokens the whole prompt may take, instead of each model's window.</summary>
    public int? Budget { get; init; }

    /// <summary><c>--exact-tokens</c>: count Claude prompts with Anthropic's counting endpoint (needs the key).</summary>
    public bool ExactTokens { get; init; }

    /// <summary><c>--show-prompt</c>: include the prompt itself (<see cref="ContextResult.Messages"/>).</summary>
    public bool ShowPrompt { get; init; }

    /// <summary>Hears warnings; <c>null</c> for none.</summary>
    public IProgress<SpecSynthEvent>? Progress { get; init; }
}
