using SpecSynth.Caching;

namespace SpecSynth;

/// <summary><c>specsynth explain FILE… [--spec SPEC]</c>: explain how code implements a spec.</summary>
public sealed record ExplainRequest
{
    /// <summary>The code files (relative to the working directory or full paths).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary><c>--spec</c>: the spec the code implements.</summary>
    public string? SpecPath { get; init; }

    /// <summary><c>--project</c>: the project folder (configuration, file names); <c>null</c> for the working directory.</summary>
    public string? ProjectRoot { get; init; }

    /// <summary><c>--provider</c>.</summary>
    public string? Providers { get; init; }

    /// <summary><c>--model</c>.</summary>
    public string? Model { get; init; }

    /// <summary><c>--max-cost</c>.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary><c>--no-cache</c> / <c>--refresh</c>.</summary>
    public CacheMode Cache { get; init; } = CacheMode.ReadWrite;

    /// <summary>Stream the reply (reported as <see cref="ReplyDeltaEvent"/>s). Default <c>true</c>.</summary>
    public bool Stream { get; init; } = true;

    /// <summary>Hears the events; <c>null</c> for none.</summary>
    public IProgress<SpecSynthEvent>? Progress { get; init; }
}
