namespace SpecSynth.Routing;

/// <summary>A provider and optionally a model, written <c>"PROVIDER"</c> or <c>"PROVIDER:MODEL"</c> (the model may itself contain
/// colons: <c>"ollama:qwen2.5-coder:7b"</c>).</summary>
/// <param name="Provider">A known provider name.</param>
/// <param name="Model">The model id, or <c>null</c> for the provider's configured model.</param>
public sealed record RouteTarget(string Provider, string? Model)
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="SpecSynthException">No provider, an unknown provider or an empty model (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static RouteTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var provider = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        var model = colon < 0 ? null : text[(colon + 1)..].Trim();
        if (!Config.SpecSynthConfig.Defaults.KnownProviders.Contains(provider) || model is { Length: 0 })
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"'{text}' is not a route; write \"PROVIDER\" or \"PROVIDER:MODEL\" with a provider from {string.Join(", ", Config.SpecSynthConfig.Defaults.KnownProviders)}");
        }
        return new RouteTarget(provider, model);
    }

    /// <inheritdoc />
    public override string ToString() => Model is null ? Provider : Provider + ":" + Model;
}
