using SpecSynth.Config;
using SpecSynth.Context;
using SpecSynth.Context.Tokens;

namespace SpecSynth.Jobs;

/// <summary>When <c>[routing]</c> may choose the provider and model, and how big the specs of a generate run are.</summary>
internal static class RunRouting
{
    /// <summary>An explicit provider or model (request, <c>SPECSYNTH_PROVIDER</c> / <c>SPECSYNTH_MODEL</c>) wins over routing.</summary>
    public static bool Applies(RunEnvironment env, RunFlags flags) =>
        flags.Providers is null && flags.Model is not { Length: > 0 }
        && string.IsNullOrWhiteSpace(env.GetEnv("SPECSYNTH_PROVIDER")) && string.IsNullOrWhiteSpace(env.GetEnv("SPECSYNTH_MODEL"));

    /// <summary>The largest spec's tokens with the configured first provider's counter, or <c>null</c> when no
    /// <c>[routing] small_spec</c> rule needs it or there is no spec.</summary>
    public static int? LargestSpecTokens(RunEnvironment env, SpecSynthConfig config, IEnumerable<Specs.Specification>? specs)
    {
        if (specs is null || config.Routing.SmallSpec is null || config.Routing.SmallSpecTokens is null)
        {
            return null;
        }
        ITokenCounter? counter = null;
        int? largest = null;
        // One spec at a time: a many-spec run's specs are read and parsed again as they are enumerated (CheckedSpecs).
        foreach (var spec in specs)
        {
            if (counter is null)
            {
                var provider = config.Providers[0];
                var model = config.ModelOverride ?? config.For(provider).Model ?? SpecSynthConfig.Defaults.ProviderConfigs[provider].Model
                    ?? Providers.ModelCatalog.DefaultModel(provider);
                counter = TokenCounters.For(provider, model, env.Services.StateDir);
            }
            largest = Math.Max(largest ?? 0, counter.Count(spec.RawText));
        }
        return largest;
    }
}
