using Microsoft.Extensions.AI;

namespace SpecSynth.Context.Tokens;

/// <summary>Counts a whole prompt exactly by asking the provider (a network call; use it when the estimate is not
/// good enough). Thread-safe.</summary>
internal interface IExactTokenCounter
{
    /// <summary>The input tokens <paramref name="messages"/> (system prompt included) cost with the counter's model.</summary>
    /// <exception cref="SpecSynth.Providers.ProviderException">The provider refused or could not be reached.</exception>
    Task<int> CountAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken = default);
}
