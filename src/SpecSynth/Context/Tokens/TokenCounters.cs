using SpecSynth.Providers;

namespace SpecSynth.Context.Tokens;

/// <summary>Chooses the token counter for a provider and model.</summary>
internal static class TokenCounters
{
    /// <summary>
    /// OpenAI models of a known family get the exact tiktoken counter; Claude, Ollama, the mock and models of an
    /// OpenAI-compatible server that are not OpenAI's get a <see cref="CalibratedEstimator"/> whose factors persist in
    /// <paramref name="stateDir"/> (in memory when <c>null</c>). Creating a counter loads no tokenizer.
    /// </summary>
    /// <param name="provider"><c>claude</c> (or <c>anthropic</c>), <c>openai</c>, <c>ollama</c> or <c>mock</c>.</param>
    /// <param name="model">The model id.</param>
    /// <param name="stateDir">The state folder (<c>StatePaths.StateDir</c>), or <c>null</c>.</param>
    /// <param name="catalog">The run's model catalog (dated ids share their family's calibration); <c>null</c> for
    /// <see cref="ModelCatalog.BuiltIn"/>.</param>
    public static ITokenCounter For(string provider, string model, string? stateDir, ModelCatalog? catalog = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var id = ProviderIds.Normalize(provider) ?? provider.Trim().ToLowerInvariant();
        if (id == ProviderIds.OpenAI && TiktokenCounter.ForModel(model) is { } exact)
        {
            return exact;
        }
        // A dated id the catalog knows ("claude-sonnet-4-5-20250929") shares its family's calibration.
        var info = (catalog ?? ModelCatalog.BuiltIn).Lookup(id, model);
        var key = info.IsKnown ? info.Id : model.Trim();
        return new CalibratedEstimator(id, key, stateDir is null ? null : CalibrationStore.InStateDir(stateDir));
    }

    /// <summary>
    /// The whole-prompt counter for a provider: <see cref="For"/> locally, plus Anthropic's counting endpoint for Claude
    /// (asked near the limit, or always with <paramref name="exactTokens"/>, i.e. <c>--exact-tokens</c>). Creating it
    /// sends nothing. Dispose the returned endpoint client (the second value; <c>null</c> for other providers).
    /// </summary>
    /// <param name="settings">The provider settings the chat client was built from (model, key, base URL).</param>
    /// <param name="stateDir">The state folder for calibration, or <c>null</c>.</param>
    /// <param name="exactTokens">Always ask the endpoint (Claude only).</param>
    /// <param name="httpClient">A client to send through (tests, proxies); <c>null</c> creates one.</param>
    public static (PromptTokenCounter Counter, IDisposable? Remote) ForPrompt(ProviderSettings settings, string? stateDir,
        bool exactTokens, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var local = For(settings.Provider, settings.Model, stateDir);
        if (ProviderIds.Normalize(settings.Provider) != ProviderIds.Claude)
        {
            return (new PromptTokenCounter(local), null);
        }
        var remote = new AnthropicTokenCounter(settings, httpClient);
        return (new PromptTokenCounter(local, remote, exactTokens), remote);
    }
}
