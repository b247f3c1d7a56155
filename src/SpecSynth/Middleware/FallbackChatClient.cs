using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>
/// Tries the providers in order: the next one when a provider's retries are exhausted, its circuit is open, or it
/// refused for a provider-specific reason (auth, billing, quota, model not found). A request the provider found
/// invalid (400, 413, 422, context too long) is not tried elsewhere. The answer records who answered and who was skipped.
/// </summary>
internal sealed class FallbackChatClient(IReadOnlyList<(string Name, IChatClient Client)> chain, IResilienceObserver observer)
    : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        List<(string Name, ProviderException Error)>? failures = null;
        for (var i = 0; ; i++)
        {
            try
            {
                var response = await chain[i].Client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                Annotate(response.AdditionalProperties ??= [], chain[i].Name, failures);
                return response;
            }
            catch (ProviderException ex) when (ShouldFallBack(ex))
            {
                Skip(i, ex, ref failures);
            }
        }
    }

    /// <remarks>One provider alone (no fallback configured): its stream as it is, the first update annotated as the chain's
    /// would be (<see cref="StampedStream"/>: no iterator and no hop of this layer per update); its failure goes up as it came,
    /// as the chain rethrows the last provider's own.</remarks>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        chain.Count == 1
            ? new StampedStream(chain[0].Client, messages, options, cancellationToken, AnnotateAlone, chain[0].Name)
            : ChainStreamingAsync(messages, options, cancellationToken);

    private static readonly Action<ChatResponseUpdate, string> AnnotateAlone =
        static (update, provider) => Annotate(update.AdditionalProperties ??= [], provider, null);

    private async IAsyncEnumerable<ChatResponseUpdate> ChainStreamingAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<(string Name, ProviderException Error)>? failures = null;
        var restart = false;
        for (var i = 0; ; i++)
        {
            var first = true;
            ProviderException? failure = null;
            var updates = chain[i].Client.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (updates.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await updates.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (ProviderException ex) when (ShouldFallBack(ex))
                    {
                        failure = ex;
                        break;
                    }
                    var update = updates.Current;
                    if (first)
                    {
                        Annotate(update.AdditionalProperties ??= [], chain[i].Name, failures);
                        if (restart)
                        {
                            ResiliencePipeline.MarkRestart(update);
                            restart = false;
                        }
                        first = false;
                    }
                    yield return update;
                }
            }
            if (failure is null)
            {
                yield break;
            }
            restart |= !first;
            Skip(i, failure, ref failures);
        }
    }

    /// <summary>Whether another provider may succeed where this one failed.</summary>
    internal static bool ShouldFallBack(ProviderException ex) =>
        ex.IsRetryable || ex.Kind is ErrorKind.Auth or ErrorKind.ProviderUnavailable || ex.StatusCode == 404;

    /// <remarks>The failures list is made on the first failure: a provider that answers needs none.</remarks>
    private void Skip(int index, ProviderException error, ref List<(string Name, ProviderException Error)>? failures)
    {
        failures ??= [];
        failures.Add((chain[index].Name, error));
        if (index + 1 < chain.Count)
        {
            observer.OnFallback(chain[index].Name, chain[index + 1].Name, error.Message);
            return;
        }
        if (chain.Count == 1)
        {
            ExceptionDispatchInfo.Throw(error);
        }
        var summary = string.Join("; ", failures.Select(f => $"{f.Name}: {f.Error.Message}"));
        throw new SpecSynthException(ErrorKind.ProviderUnavailable, $"no provider could answer ({summary})", error);
    }

    private static void Annotate(AdditionalPropertiesDictionary properties, string provider,
        List<(string Name, ProviderException Error)>? failures)
    {
        properties[ResiliencePipeline.ProviderProperty] = provider;
        properties[ResiliencePipeline.SkippedProperty] = failures is null || failures.Count == 0 ? [] : failures.Select(f => $"{f.Name}: {f.Error.Message}").ToArray();
    }

    /// <summary>The first provider's client (for listing the pipeline's layers).</summary>
    internal IChatClient First => chain[0].Client;

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : chain[0].Client.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The links' clients belong to the caller.
    }
}
