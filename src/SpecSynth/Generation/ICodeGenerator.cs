using SpecSynth.Projects;
using SpecSynth.Specs;
using SpecSynth.Parsing;

namespace SpecSynth.Generation;

/// <summary>
/// The seed's three operations. One implementation (<c>LlmCodeGenerator</c>) runs them over any
/// <see cref="Microsoft.Extensions.AI.IChatClient"/>. Implementations are thread-safe.
/// </summary>
internal interface ICodeGenerator
{
    /// <summary>Generates the files a specification asks for, in the context of a project.</summary>
    /// <exception cref="SpecSynthException">The reply has no usable file, or a path is unsafe
    /// (<see cref="ErrorKind.UnusableOutput"/>), or the provider failed.</exception>
    Task<GeneratedCode> GenerateCodeAsync(Specification spec, ProjectContext projectContext,
        GenerationOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Explains how some code implements a specification (or what it does, without one).</summary>
    Task<Explanation> ExplainImplementationAsync(string code, Specification? spec,
        GenerationOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Reviews code against requirements: each requirement met, partly met or not met, plus issues.</summary>
    Task<CodeReview> ReviewCodeAsync(string code, IReadOnlyList<Specs.Requirement> requirements,
        GenerationOptions? options = null, CancellationToken cancellationToken = default);
}
