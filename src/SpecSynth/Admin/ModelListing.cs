using SpecSynth.Config;
using SpecSynth.Providers;
using SpecSynth.Providers.Keys;

namespace SpecSynth;

/// <summary>
/// <c>specsynth models</c> and the MCP <c>models</c> tool: the models each provider serves (its own list), joined with
/// the built-in catalog and the configuration's <c>[models."ID"]</c> overrides; models the catalog does not know are marked.
/// </summary>
public static class ModelListing
{
    /// <summary>Lists models.</summary>
    /// <param name="config">The effective configuration (its chain, base URLs, keys, <c>[models]</c> overrides).</param>
    /// <param name="provider">Only this provider (<c>claude</c>, <c>openai</c>, <c>ollama</c>); <c>null</c>: the configured
    /// chain when asking the providers, every provider of the catalog when not.</param>
    /// <param name="askProviders">Ask each provider for its list (<c>/v1/models</c>, Ollama's <c>/api/tags</c>); <c>false</c>
    /// lists the catalog (and overrides) without any request.</param>
    /// <param name="environment">Reads an environment variable (keys, base URLs); <c>null</c> for the process environment.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <exception cref="SpecSynthException">An unknown provider (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static Task<ModelList> ListAsync(SpecSynthConfig config, string? provider, bool askProviders,
        Func<string, string?>? environment, CancellationToken cancellationToken) =>
        ListAsync(config, provider, askProviders, environment, null, cancellationToken);

    /// <summary>Lists models; Azure OpenAI without a key is asked with an Entra ID token from <paramref name="providers"/>.</summary>
    /// <param name="config">The effective configuration (its chain, base URLs, keys, <c>[models."ID"]</c> overrides).</param>
    /// <param name="provider">Only this provider (<c>claude</c>, <c>openai</c>, <c>azure</c>, <c>ollama</c>); <c>null</c>: the
    /// configured chain when asking the providers, every provider of the catalog when not.</param>
    /// <param name="askProviders">Ask each provider for its list; <c>false</c> lists the catalog (and overrides) without any request.</param>
    /// <param name="environment">Reads an environment variable (keys, base URLs); <c>null</c> for the process environment.</param>
    /// <param name="providers">The provider SDK wiring (<c>SpecSynthProviders.Factory</c>): its Entra ID credential signs
    /// Azure OpenAI's requests when no key is set; <c>null</c>: Azure OpenAI needs a key to be listed.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <exception cref="SpecSynthException">An unknown provider (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static async Task<ModelList> ListAsync(SpecSynthConfig config, string? provider, bool askProviders,
        Func<string, string?>? environment = null, ProviderSdkFactory? providers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var getEnv = environment ?? Environment.GetEnvironmentVariable;
        var time = Hosting.CompositionRoot.SystemClock;
        var catalog = ModelCatalog.BuiltIn.With(config.Models);
        string[] all = [ProviderIds.Claude, ProviderIds.OpenAI, ProviderIds.Ollama];
        var ids = provider is not null
            ? [ProviderIds.Normalize(provider) is { } one && (all.Contains(one) || one == ProviderIds.Azure) ? one
                : throw new SpecSynthException(ErrorKind.InvalidInput, $"unknown provider '{provider}': use claude, openai, azure or ollama")]
            : askProviders ? config.Providers.Select(ProviderIds.Normalize).OfType<string>().Distinct().ToArray() : all;
        var models = new List<ListedModel>();
        var warnings = new List<string>();
        var keys = new ApiKeyResolver(getEnv, time);
        foreach (var id in ids)
        {
            if (!askProviders)
            {
                models.AddRange(FromCatalog(catalog, id, served: null));
                continue;
            }
            try
            {
                var section = config.For(id);
                var other = ProviderEnvironment.ResolveAllKeys(id, section.ApiKeyEnv, getEnv).Count == 0 ? keys.Resolve(id, section) : null;
                var settings = ProviderEnvironment.Resolve(id, section.Model, section.BaseUrl, section.ApiKeyEnv, getEnv, fallbackKey: other?.Keys[0]);
                settings = settings with { ApiVersion = section.ApiVersion };
                if (id == ProviderIds.Azure)
                {
                    models.AddRange(await AzureAsync(catalog, settings, providers, time, warnings, cancellationToken).ConfigureAwait(false));
                    continue;
                }
                var served = await ProviderModelLister.ListAsync(settings, getEnv, time, cancellationToken).ConfigureAwait(false);
                models.AddRange(served.Select(m => Join(catalog, id, m.Id, m.ContextWindow)));
            }
            catch (SpecSynthException ex)
            {
                warnings.Add($"{id}: {ex.Message}; listing the catalog's {id} models instead");
                models.AddRange(FromCatalog(catalog, id, served: false));
            }
        }
        return new ModelList([.. models.OrderBy(m => m.Provider, StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal)],
            ModelCatalogData.PricesChecked, warnings);
    }

    /// <summary>Azure OpenAI: its deployments, each priced as the model it serves (or its <c>[models."DEPLOYMENT"]</c>); or,
    /// when the data plane has no deployment list, the models the resource can deploy, with a warning saying where the
    /// deployment names are.</summary>
    private static async Task<IEnumerable<ListedModel>> AzureAsync(ModelCatalog catalog, ProviderSettings settings, ProviderSdkFactory? providers,
        TimeProvider time, List<string> warnings, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(RedirectRefusingHandler.OverSockets()) { Timeout = TimeSpan.FromSeconds(30) };
        var listing = await AzureModelLister.ListAsync(settings, ct => providers is null
            ? throw new SpecSynthException(ErrorKind.Auth, "no key is set for Azure OpenAI and no Entra ID credential was given to list its models")
            : providers.AzureTokenAsync(time, ct), http, cancellationToken).ConfigureAwait(false);
        if (!listing.AreDeployments)
        {
            warnings.Add("azure: this resource's data plane has no deployment list (GET /openai/deployments was retired for the "
                + "management API), so these are the chat models it can deploy, not deployment names: run with --model set to a "
                + "deployment name from the Azure portal (Deployments) or `az cognitiveservices account deployment list -g GROUP -n RESOURCE`");
        }
        return listing.Items.Select(item =>
        {
            var own = catalog.Lookup(ProviderIds.Azure, item.Id);
            var model = item.Model is { Length: > 0 } m ? catalog.Lookup(ProviderIds.OpenAI, m) : null;
            var listed = own.IsKnown ? Listed(own, true, own.FromConfig ? "config" : "catalog")
                : model is { IsKnown: true } ? Listed(model, true, model.FromConfig ? "config" : "catalog")
                : new ListedModel(ProviderIds.Azure, item.Id, false, true, "none", null, null, null, null, null, null, null, null,
                    own.RejectsTemperature, own.UsesMaxCompletionTokens);
            return listed with
            {
                Provider = ProviderIds.Azure,
                Id = item.Id,
                Served = listing.AreDeployments ? true : null,
                Model = listing.AreDeployments ? item.Model : null,
                BatchInputPerMillion = null,
                BatchOutputPerMillion = null,
            };
        }).ToList();
    }

    private static IEnumerable<ListedModel> FromCatalog(ModelCatalog catalog, string provider, bool? served) =>
        catalog.Models.Where(m => m.Provider == provider).Select(m => Listed(m, served, m.FromConfig ? "config" : "catalog"));

    private static ListedModel Join(ModelCatalog catalog, string provider, string id, int? ollamaWindow)
    {
        var info = catalog.Lookup(provider, id);
        if (provider == ProviderIds.Ollama && !info.FromConfig)
        {
            return new ListedModel(provider, id, ollamaWindow is not null, true, ollamaWindow is null ? "none" : "provider", ollamaWindow, null,
                0m, 0m, 0m, 0m, null, null, false, false);
        }
        if (!info.IsKnown)
        {
            return new ListedModel(provider, id, false, true, "none", null, null, null, null, null, null, null, null, info.RejectsTemperature, false);
        }
        return Listed(info, true, info.FromConfig ? "config" : "catalog") with { Id = id };
    }

    private static ListedModel Listed(ModelInfo m, bool? served, string source)
    {
        var batch = m.Provider is ProviderIds.Claude or ProviderIds.OpenAI;
        return new ListedModel(m.Provider, m.Id, true, served, source, m.ContextWindow, m.MaxOutputTokens, m.InputPerMillion, m.OutputPerMillion,
            m.CacheWritePerMillion, m.CacheReadPerMillion, batch ? m.InputPerMillion / 2 : null, batch ? m.OutputPerMillion / 2 : null,
            m.RejectsTemperature, m.UsesMaxCompletionTokens);
    }
}
