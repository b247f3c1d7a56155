using SpecSynth.Caching;

namespace SpecSynth;

/// <summary><c>specsynth review FILE… [--spec SPEC | --requirements FILE]</c>: structured findings against requirements.</summary>
public sealed record ReviewRequest
{
    /// <summary>The code files (relative to the working directory or full paths).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary><c>--spec</c> or <c>--requirements</c>: the markdown file whose requirements to check; <c>null</c> for none.</summary>
    public string? RequirementsPath { get; init; }

    /// <summary><c>--project</c>.</summary>
    public string? ProjectRoot { get; init; }

    /// <summary><c>--provider</c>.</summary>
    public string? Providers { get; init; }

    /// <summary><c>--model</c>.</summary>
    public string? Model { get; init; }

    /// <summary><c>--max-cost</c>.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary><c>--no-cache</c> / <c>--refresh</c>.</summary>
    public CacheMode Cache { get; init; } = CacheMode.ReadWrite;

    /// <summary>Stream the reply. Default <c>true</c>.</summary>
    public bool Stream { get; init; } = true;

    /// <summary>Hears the events; <c>null</c> for none.</summary>
    public IProgress<SpecSynthEvent>? Progress { get; init; }
}
