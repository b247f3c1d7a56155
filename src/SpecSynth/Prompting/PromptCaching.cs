using Microsoft.Extensions.AI;

namespace SpecSynth.Prompting;

/// <summary>
/// The contract between the prompt builder and the providers for prompt caching. The builder lays a prompt out as a
/// stable prefix (system prompt, project structure, stable files) followed by the volatile part (spec, request), and
/// marks the last content of the stable prefix with <see cref="BreakpointProperty"/>. A provider that supports explicit
/// cache breakpoints (Anthropic <c>cache_control</c>) places one there; others ignore the mark.
/// </summary>
internal static class PromptCaching
{
    /// <summary><see cref="AIContent.AdditionalProperties"/> key: <c>true</c> on the content that ends a stable prefix.</summary>
    public const string BreakpointProperty = "specsynth.cache_breakpoint";

    /// <summary>Marks <paramref name="content"/> as the end of a stable prefix.</summary>
    public static T MarkBreakpoint<T>(T content) where T : AIContent
    {
        ArgumentNullException.ThrowIfNull(content);
        (content.AdditionalProperties ??= [])[BreakpointProperty] = true;
        return content;
    }

    /// <summary>Whether <paramref name="content"/> ends a stable prefix.</summary>
    public static bool IsBreakpoint(AIContent content) =>
        content?.AdditionalProperties?.TryGetValue(BreakpointProperty, out var value) == true && value is true;
}
