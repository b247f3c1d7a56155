using Microsoft.Extensions.DependencyInjection.Extensions;
using SpecSynth;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers specsynth's Redis backend in a Microsoft.Extensions.DependencyInjection container.</summary>
public static class SpecSynthRedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SpecSynthRedis.Backend"/> as the <see cref="SharedStateBackend"/> that <c>AddSpecSynth</c> opens
    /// <c>[shared] redis</c> (and <c>[cache] url</c>) with: the response cache, rate-limit buckets and team budgets are then
    /// shared by every process using that Redis (local again, with one warning, when it is lost).
    /// </summary>
    /// <param name="services">The container.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddSpecSynthRedis(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(SpecSynthRedis.Backend);
        return services;
    }
}
