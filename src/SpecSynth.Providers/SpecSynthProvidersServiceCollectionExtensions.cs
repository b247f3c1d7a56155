using Microsoft.Extensions.DependencyInjection.Extensions;
using SpecSynth;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers specsynth's provider SDK wiring in a Microsoft.Extensions.DependencyInjection container.</summary>
public static class SpecSynthProvidersServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SpecSynthProviders.Factory"/> as the <see cref="ProviderSdkFactory"/> that <c>AddSpecSynth</c>
    /// builds the configured providers (<c>claude</c>, <c>openai</c>, <c>ollama</c>) with. Not needed when the host registers
    /// its own <c>IChatClient</c>.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddSpecSynthProviders(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(SpecSynthProviders.Factory);
        return services;
    }

    /// <summary>
    /// Registers <see cref="SpecSynthProviders.Create"/> with <paramref name="options"/> (e.g. the host's Entra ID credential for
    /// Azure OpenAI, <see cref="SpecSynthProvidersOptions.AzureCredential"/>) as the <see cref="ProviderSdkFactory"/>.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="options">The options.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddSpecSynthProviders(this IServiceCollection services, SpecSynthProvidersOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(SpecSynthProviders.Create(options));
        return services;
    }
}
