using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpecSynth;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers specsynth in a Microsoft.Extensions.DependencyInjection container.</summary>
public static class SpecSynthServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISpecSynthesizer"/> (singleton), <see cref="IOptions{SpecSynthOptions}"/> bound from the
    /// <c>SpecSynth</c> section of <paramref name="configuration"/> then <paramref name="configure"/>, and
    /// <see cref="TimeProvider"/> (<c>TimeProvider.System</c> unless already registered). An <see cref="IChatClient"/>
    /// registered by the host is used as the provider, with specsynth's middleware around it; an <see cref="ILoggerFactory"/>,
    /// when registered, gets the run's events. <c>services.AddSpecSynth()</c> works on defaults. The Anthropic, OpenAI and
    /// Ollama clients come from <c>services.AddSpecSynthProviders()</c> (package <c>SpecSynth.Providers</c>), shared Redis
    /// state from <c>services.AddSpecSynthRedis()</c> (package <c>SpecSynth.Redis</c>), in any order.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configuration">The host's configuration (its <c>SpecSynth</c> section is bound), or <c>null</c>.</param>
    /// <param name="configure">Adjusts the options in code, or <c>null</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddSpecSynth(this IServiceCollection services, IConfiguration? configuration = null,
        Action<SpecSynthOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SpecSynthOptions>();
        if (configuration is not null)
        {
            var section = configuration.GetSection(SpecSynthOptions.SectionName);
            options.Configure(o =>
            {
                o.WorkingDirectory = section[nameof(SpecSynthOptions.WorkingDirectory)] ?? o.WorkingDirectory;
                o.StateDirectory = section[nameof(SpecSynthOptions.StateDirectory)] ?? o.StateDirectory;
                o.Providers = section[nameof(SpecSynthOptions.Providers)] ?? o.Providers;
            });
        }
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddSingleton(SpecSynth.Hosting.CompositionRoot.SystemClock);
        services.TryAddSingleton<ISpecSynthesizer>(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<SpecSynthOptions>>().Value;
            // The packages' registrations (AddSpecSynthProviders, AddSpecSynthRedis) fill what the options leave unset.
            var options = new SpecSynthOptions
            {
                WorkingDirectory = configured.WorkingDirectory,
                StateDirectory = configured.StateDirectory,
                Providers = configured.Providers,
                Environment = configured.Environment,
                ProviderFactory = configured.ProviderFactory ?? sp.GetService<ProviderSdkFactory>(),
                SharedState = configured.SharedState ?? sp.GetService<SharedStateBackend>(),
                LoggerFactory = configured.LoggerFactory ?? sp.GetService<ILoggerFactory>(),
            };
            return SpecSynthesizerFactory.Create(options, sp.GetRequiredService<TimeProvider>(), sp.GetService<IChatClient>(),
                sp.GetService<ILoggerFactory>()?.CreateLogger<ISpecSynthesizer>());
        });
        return services;
    }
}
