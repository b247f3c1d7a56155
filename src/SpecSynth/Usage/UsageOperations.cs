using Microsoft.Extensions.AI;

namespace SpecSynth.Usage;

/// <summary>
/// How a caller says what a model call is for: <see cref="OperationProperty"/> and <see cref="SpecProperty"/> in the
/// options' additional properties. The usage middleware reads and removes them; the response cache leaves every
/// <c>specsynth.*</c> property out of its key.
/// </summary>
internal static class UsageOperations
{
    /// <summary>Options property: the operation (<see cref="Generate"/>, <see cref="Explain"/>, ...).</summary>
    public const string OperationProperty = "specsynth.operation";

    /// <summary>Options property: the spec the call is about (its path, else its title).</summary>
    public const string SpecProperty = "specsynth.spec";

    public const string Generate = "generate";
    public const string Continuation = "continuation";
    public const string Explain = "explain";
    public const string Review = "review";
    public const string Repair = "repair";
    public const string Compact = "compact";

    /// <summary>The operation recorded for a call nobody tagged.</summary>
    public const string Unknown = "other";

    /// <summary>Tags <paramref name="options"/> (in place) and returns it.</summary>
    public static ChatOptions Tag(ChatOptions options, string operation, string? spec)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        var properties = options.AdditionalProperties ??= [];
        properties[OperationProperty] = operation;
        if (!string.IsNullOrWhiteSpace(spec))
        {
            properties[SpecProperty] = spec;
        }
        return options;
    }
}
