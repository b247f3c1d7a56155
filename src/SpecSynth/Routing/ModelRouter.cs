using System.Globalization;
using SpecSynth.Config;

namespace SpecSynth.Routing;

/// <summary>Applies <c>[routing]</c>: picks the provider and model for an operation (and, for <c>generate</c>, small specs).</summary>
internal static class ModelRouter
{
    /// <summary>
    /// The route for <paramref name="operation"/>: <c>small_spec</c> when generating specs all under <c>small_spec_tokens</c>,
    /// else the operation's own rule; <c>null</c> when no rule applies. Returns the routed configuration (the target provider
    /// first, the rest of the chain after it as fallback, the target's model for it) and why.
    /// </summary>
    /// <param name="config">The effective configuration (without <c>--provider</c>/<c>--model</c>: those win over routing).</param>
    /// <param name="operation"><c>generate</c>, <c>explain</c> or <c>review</c>.</param>
    /// <param name="specTokens">For <c>generate</c>: the largest spec's tokens, or <c>null</c> when unknown.</param>
    public static (SpecSynthConfig Config, RouteTarget Target, string Reason)? Route(SpecSynthConfig config, string operation, int? specTokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        var routing = config.Routing;
        RouteTarget? target;
        string reason;
        if (operation == "generate" && routing.SmallSpec is { } small && routing.SmallSpecTokens is { } limit && specTokens < limit)
        {
            (target, reason) = (small, string.Create(CultureInfo.InvariantCulture,
                $"[routing] small_spec: the spec is {specTokens} tokens, under small_spec_tokens = {limit}"));
        }
        else
        {
            (target, reason) = (routing.For(operation), $"[routing] {operation}");
        }
        if (target is null)
        {
            return null;
        }
        var chain = new[] { target.Provider }.Concat(config.Providers.Where(p => p != target.Provider)).ToArray();
        return (config with { Providers = chain, ModelOverride = target.Model }, target, reason);
    }
}
