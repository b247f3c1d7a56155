using Microsoft.Extensions.AI;

namespace SpecSynth.Providers.Keys;

/// <summary>One API key of a provider: the name of the variable it came from and a client bound to it.</summary>
/// <param name="Alias">The key's name in messages, events, rate-limit buckets and the ledger: the environment variable
/// it was read from (e.g. <c>ANTHROPIC_API_KEY_2</c>). Never the key itself, nor a hash of it.</param>
/// <param name="Client">The provider client built with this key (the SDKs bind the key at construction). Not disposed by the pipeline.</param>
internal sealed record ProviderKey(string Alias, IChatClient Client);
