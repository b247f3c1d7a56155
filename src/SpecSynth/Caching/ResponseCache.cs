using Microsoft.Extensions.AI;

namespace SpecSynth.Caching;

/// <summary>The response cache's names: properties it reads and writes, and its format version.</summary>
internal static class ResponseCache
{
    /// <summary>Response (streaming: first update) property: <c>true</c> when the reply came from the cache.</summary>
    public const string HitProperty = "specsynth.cache_hit";

    /// <summary>Options property the cache reads into its key: the prompt template version (<see cref="SpecSynth.Prompting.ChatPrompt.TemplateVersion"/>).
    /// It is removed before the request goes on to the provider.</summary>
    public const string TemplateVersionProperty = "specsynth.template_version";

    /// <summary>Options properties with this prefix describe the call (operation, spec, run id) and never enter the key,
    /// except <see cref="TemplateVersionProperty"/>.</summary>
    public const string PropertyPrefix = "specsynth.";

    /// <summary>Bumped when what is stored changes shape; part of every key, so old entries are simply never read.</summary>
    public const string FormatVersion = "specsynth-cache-4";

    /// <summary>Whether <paramref name="response"/> came from the cache.</summary>
    public static bool IsHit(ChatResponse response) => IsHit(response?.AdditionalProperties);

    /// <summary>Whether <paramref name="update"/> (the first of a stream) came from the cache.</summary>
    public static bool IsHit(ChatResponseUpdate update) => IsHit(update?.AdditionalProperties);

    private static bool IsHit(AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(HitProperty, out var value) == true && value is true;
}
